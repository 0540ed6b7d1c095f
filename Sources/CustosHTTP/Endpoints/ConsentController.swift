import CustosCore
import Foundation
import Hummingbird

/// The consent page (`GET`/`POST /consent`): shows a client's requested scopes in plain words
/// to the signed-in user and records the decision. A decision sends the browser back to
/// `return_to` (the authorization request) with `consent=given` or `consent=denied`.
struct ConsentController {
    let pages: BrowserPages

    func register(on group: RouterGroup<CustosRequestContext>) {
        group.get("/consent", use: show)
        group.post("/consent", use: submit)
    }

    @Sendable func show(_ request: Request, _ context: CustosRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        guard let returnTo = BrowserPages.safeReturnPath(query["return_to"].map(String.init)),
            let clientID = query["client_id"].map(String.init), let scope = query["scope"].map(String.init),
            let scopes = ScopeSyntax.parse(scope), !scopes.isEmpty
        else { return pages.errorPage("Invalid request", "This consent request is incomplete.", status: .badRequest) }
        guard let (_, user) = try await pages.signedInUser(request) else {
            return BrowserPages.redirect(to: pages.loginPath + "?return_to=" + Self.encode(request.uri.description) + "&client_id=" + Self.encode(clientID))
        }
        var values = try await pages.branding(clientID: clientID)
        guard values["client_name"] != nil else {
            return pages.errorPage("Unknown application", "The application asking for access is not registered.", status: .badRequest)
        }
        values["title"] = "Allow access"
        values["action"] = pages.apiPrefix + "/consent"
        values["user_name"] = BrowserPages.displayName(user)
        values["return_to"] = returnTo
        values["scope"] = scopes.joined(separator: " ")
        values["scopes"] = scopes.map { scope -> [String: String] in
            let text = ScopeDescriptions.describe(scope)
            return ["title": text.title, "description": text.description]
        }
        return pages.render("consent", values, csrf: pages.csrfCookie(request))
    }

    @Sendable func submit(_ request: Request, _ context: CustosRequestContext) async throws -> Response {
        guard let form = try await pages.form(request) else {
            return pages.errorPage("Your session expired", "The form was too old or came from elsewhere. Go back and try again.", status: .forbidden)
        }
        guard let (_, user) = try await pages.signedInUser(request) else { return BrowserPages.redirect(to: pages.loginPath) }
        guard let returnTo = BrowserPages.safeReturnPath(form["return_to"]), let clientID = form["client_id"],
            let scopes = form["scope"].flatMap(ScopeSyntax.parse), !scopes.isEmpty,
            try await pages.server.storage.client(clientID: clientID, tenant: pages.server.configuration.tenant) != nil
        else { return pages.errorPage("Invalid request", "This consent request is incomplete.", status: .badRequest) }
        switch form["decision"] {
        case "approve":
            _ = try await pages.server.consents.grant(userID: user.id, clientID: clientID, scopes: scopes)
            return BrowserPages.redirect(to: returnTo + (returnTo.contains("?") ? "&" : "?") + "consent=given")
        case "deny":
            return BrowserPages.redirect(to: returnTo + (returnTo.contains("?") ? "&" : "?") + "consent=denied")
        default:
            return pages.errorPage("Invalid request", "Choose Allow or Deny.", status: .badRequest)
        }
    }

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }
}
