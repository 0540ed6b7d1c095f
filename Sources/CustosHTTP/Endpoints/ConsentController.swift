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
        // RFC 9396 §3: the user sees each authorization detail before approving it (the
        // template escapes every value).
        let details = validated.authorizationDetails?.details ?? []
        values["has_details"] = !details.isEmpty
        values["details"] = details.map { detail -> [String: Any] in
            ["type": detail.type, "fields": Self.readableFields(of: detail)]
        }
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

    /// The common fields of RFC 9396 §2.2 under readable labels first, then every other
    /// member by its name (a string as itself, anything else as compact JSON).
    static func readableFields(of detail: AuthorizationDetails.Detail) -> [[String: String]] {
        let labelled: [(member: String, label: String)] = [
            ("identifier", "Identifier"), ("actions", "Actions"), ("locations", "Locations"), ("datatypes", "Data types"),
            ("data_types", "Data types"), ("privileges", "Privileges"),
        ]
        var fields: [[String: String]] = []
        for (member, label) in labelled {
            if let strings = detail.strings(member) {
                fields.append(["label": label, "value": strings.joined(separator: ", ")])
            } else if let text = detail.members[member]?.stringValue {
                fields.append(["label": label, "value": text])
            }
        }
        let shown = Set(labelled.map(\.member) + ["type"])
        for name in detail.members.keys.sorted() where !shown.contains(name) {
            guard let value = detail.members[name] else { continue }
            let text = value.stringValue ?? AuthorizationDetails.canonicalText(value)
            fields.append(["label": name, "value": text])
        }
        return fields
    }

    private func unanswerable(_ error: OAuthError) -> Response {
        pages.errorPage("This request cannot be completed", error.description ?? error.code.rawValue, status: .badRequest)
    }
}
