import CustosCore
import Foundation
import Hummingbird

/// `GET`/`POST /oauth/logout`, the end-session endpoint (OpenID Connect RP-Initiated Logout
/// 1.0). With a valid `id_token_hint` issued in this browser's session to its user, the user
/// is signed out at once; otherwise a confirmation page asks first. The signed-out page loads the clients' front-channel logout
/// URIs in hidden iframes and leads to the registered `post_logout_redirect_uri` with `state`.
struct EndSessionController {
    let pages: BrowserPages

    func register(on group: RouterGroup<CustosRequestContext>) {
        group.get("/oauth/logout", use: logout)
        group.post("/oauth/logout", use: logout)
    }

    @Sendable func logout(_ request: Request, _ context: CustosRequestContext) async throws -> Response {
        var parameters: [String: String]
        var confirmed = false
        if request.method == .post {
            guard let form = try? await ProtocolForm.read(request, limit: pages.bodyLimit) else {
                return pages.errorPage("Invalid request", "The sign-out request is malformed.", status: .badRequest)
            }
            parameters = form
            if form["confirm"] != nil {
                guard pages.server.csrf.isValid(formToken: form["csrf_token"], cookieValue: BrowserCookies.value(BrowserCookies.csrf, in: request))
                else { return pages.errorPage("Your session expired", "The form was too old or came from elsewhere.", status: .forbidden) }
                guard form["confirm"] == "yes" else { return BrowserPages.redirect(to: pages.accountPath) }
                confirmed = true
            }
        } else {
            guard let query = try? FormParameters.parse(request.uri.query ?? "") else {
                return pages.errorPage("Invalid request", "The sign-out request repeats a parameter.", status: .badRequest)
            }
            parameters = query
        }
        let plan: EndSession.Plan
        do {
            plan = try await pages.server.endSession.prepare(
                EndSession.Request(
                    idTokenHint: parameters["id_token_hint"],
                    clientID: parameters["client_id"],
                    postLogoutRedirectURI: parameters["post_logout_redirect_uri"],
                    state: parameters["state"]
                )
            )
        } catch let error as OAuthError {
            return pages.errorPage("This sign-out request cannot be completed", error.description ?? error.code.rawValue, status: .badRequest)
        }
        guard let (session, user) = try await pages.signedInUser(request) else { return signedOut(plan, frontChannel: []) }
        if pages.server.endSession.needsConfirmation(plan, signingOut: session) && !confirmed {
            var values = try await pages.branding(clientID: plan.client?.clientID)
            values["title"] = "Sign out"
            values["action"] = pages.apiPrefix + "/oauth/logout"
            values["user_name"] = BrowserPages.displayName(user)
            values["post_logout_redirect_uri"] = plan.redirect ?? ""
            values["state"] = plan.state ?? ""
            return pages.render("logout_confirm", values, csrf: pages.csrfCookie(request))
        }
        let frontChannel = try await pages.server.endSession.logout(session)
        var response = signedOut(plan, frontChannel: frontChannel)
        response.setCookie(pages.cookies.expired(BrowserCookies.session))
        return response
    }

    private func signedOut(_ plan: EndSession.Plan, frontChannel: [String]) -> Response {
        var target: String?
        if let redirect = plan.redirect {
            target = plan.state.map { QueryEncoding.append([("state", $0)], to: redirect) } ?? redirect
        }
        if frontChannel.isEmpty, let target { return BrowserPages.redirect(to: target) }
        var values: [String: Any] = ["title": "Signed out", "frontchannel": frontChannel]
        var headers: HTTPFields = [
            .init("Content-Security-Policy")!:
                "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; frame-src *; frame-ancestors 'none'"
        ]
        if let target {
            values["redirect"] = target
            headers[.init("Refresh")!] = "2; url=\(target)"
        }
        return pages.renderer.page("logged_out", values, headers: headers)
    }
}
