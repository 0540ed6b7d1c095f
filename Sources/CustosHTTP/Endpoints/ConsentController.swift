import CustosCore
import Foundation
import Hummingbird

/// The consent page (`GET`/`POST /consent?authorization_request=…`): shows the signed-in user
/// what the pending authorization request asks for — the client, its scopes and the claims
/// asked for by name — and records the decision. Everything shown and stored comes from the
/// server's record of the request (RFC 9700 §4.11), never from this page's own query; a
/// decision sends the browser back to the authorization endpoint with the same handle.
struct ConsentController {
    let pages: BrowserPages

    func register(on group: RouterGroup<CustosRequestContext>) {
        group.get("/consent", use: show)
        group.post("/consent", use: submit)
    }

    @Sendable func show(_ request: Request, _ context: CustosRequestContext) async throws -> Response {
        guard let handle = request.uri.queryParameters[Substring(AuthorizationEndpoint.pendingParameter)].map(String.init), !handle.isEmpty
        else { return pages.errorPage("Invalid request", "This consent request is incomplete.", status: .badRequest) }
        guard let signedIn = try await pages.signedInUser(request) else {
            return BrowserPages.redirect(to: pages.loginPath + "?" + QueryEncoding.encode([("return_to", request.uri.description)]))
        }
        let validated: ValidatedAuthorizationRequest
        switch try await pages.server.authorizationEndpoint.consentPrompt(handle: handle) {
        case .failure(let error): return unanswerable(error)
        case .success(let value): validated = value
        }
        var values = try await pages.branding(clientID: validated.client.clientID)
        values["title"] = "Allow access"
        values["action"] = pages.apiPrefix + "/consent"
        values["user_name"] = BrowserPages.displayName(signedIn.user)
        values[AuthorizationEndpoint.pendingParameter] = handle
        values["scopes"] = validated.scopes.map { scope -> [String: String] in
            let text = ScopeDescriptions.describe(scope)
            return ["title": text.title, "description": text.description]
        }
        let claims = (validated.claims?.userClaims ?? []).sorted()
        values["has_claims"] = !claims.isEmpty
        values["claims"] = claims.map { ["title": ScopeDescriptions.describe(claim: $0)] }
        return pages.render("consent", values, csrf: pages.csrfCookie(request))
    }

    @Sendable func submit(_ request: Request, _ context: CustosRequestContext) async throws -> Response {
        guard let form = try await pages.form(request) else {
            return pages.errorPage("Your session expired", "The form was too old or came from elsewhere. Go back and try again.", status: .forbidden)
        }
        guard let signedIn = try await pages.signedInUser(request) else { return BrowserPages.redirect(to: pages.loginPath) }
        guard let handle = form[AuthorizationEndpoint.pendingParameter], !handle.isEmpty else {
            return pages.errorPage("Invalid request", "This consent request is incomplete.", status: .badRequest)
        }
        let decision: PendingAuthorization.Decision
        switch form["decision"] {
        case "approve": decision = .approved
        case "deny": decision = .denied
        default: return pages.errorPage("Invalid request", "Choose Allow or Deny.", status: .badRequest)
        }
        switch try await pages.server.authorizationEndpoint.recordConsent(handle: handle, decision: decision, session: signedIn) {
        case .failure(let error): return unanswerable(error)
        case .success: return BrowserPages.redirect(to: pages.pendingAuthorizationPath(handle))
        }
    }

    private func unanswerable(_ error: OAuthError) -> Response {
        pages.errorPage("This request cannot be completed", error.description ?? error.code.rawValue, status: .badRequest)
    }
}
