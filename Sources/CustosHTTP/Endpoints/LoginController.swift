import CustosCore
import Foundation
import Hummingbird
import Logging

/// The sign-in page (`GET`/`POST /login`), the signed-in landing page (`GET /account`) and
/// sign-out (`POST /logout`). HTML in, HTML or a 303 out; the rules live in `PasswordLogin`
/// and `SessionManager`.
struct LoginController {
    let pages: BrowserPages

    func register(on group: RouterGroup<CustosRequestContext>) {
        group.get("/login", use: show)
        group.post("/login", use: submit)
        group.get("/account", use: account)
        group.post("/logout", use: logout)
    }

    @Sendable func show(_ request: Request, _ context: CustosRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        let returnTo = BrowserPages.safeReturnPath(query["return_to"].map(String.init)) ?? pages.accountPath
        if try await pages.signedInUser(request) != nil, query["prompt"] != "login" {
            return BrowserPages.redirect(to: returnTo)
        }
        // OpenID Connect Core §3.1.2.1 login_hint: prefill, never trust.
        return try await loginPage(
            request,
            returnTo: returnTo,
            clientID: query["client_id"].map(String.init),
            username: query["login_hint"].map { String($0.prefix(254)) } ?? ""
        )
    }

    @Sendable func submit(_ request: Request, _ context: CustosRequestContext) async throws -> Response {
        guard let form = try await pages.form(request) else {
            return pages.errorPage("Your session expired", "The form was too old or came from elsewhere. Go back and try again.", status: .forbidden)
        }
        let returnTo = BrowserPages.safeReturnPath(form["return_to"]) ?? pages.accountPath
        let login = form["username"] ?? ""
        do {
            let user = try await pages.server.passwordLogin.signIn(
                login: login,
                password: form["password"] ?? "",
                source: context.clientAddress
            )
            let (_, cookie) = try await pages.server.sessions.start(for: user, amr: ["pwd"])
            var response = BrowserPages.redirect(to: returnTo)
            response.setCookie(pages.cookies.make(BrowserCookies.session, value: cookie))
            return response
        } catch PasswordLogin.Failure.invalidCredentials {
            var response = try await loginPage(
                request,
                returnTo: returnTo,
                clientID: form["client_id"],
                error: "The username or password is incorrect.",
                username: login,
                status: .unauthorized
            )
            response.headers[.wwwAuthenticate] = BrowserPages.sessionChallenge
            return response
        } catch PasswordLogin.Failure.throttled(let retryAfter) {
            context.logger.notice(
                "sign-in throttled",
                metadata: ["client.address": "\(context.clientAddress)", "retry_after": "\(retryAfter)"]
            )
            var response = try await loginPage(
                request,
                returnTo: returnTo,
                clientID: form["client_id"],
                error: "Too many failed attempts. Wait a few minutes, then try again.",
                username: login,
                status: .tooManyRequests
            )
            response.headers[.retryAfter] = String(retryAfter)
            return response
        } catch let limited as RateLimited {
            var response = try await loginPage(
                request,
                returnTo: returnTo,
                clientID: form["client_id"],
                error: "Too many sign-in attempts from your network. Wait a minute, then try again.",
                username: login,
                status: .tooManyRequests
            )
            response.headers[.retryAfter] = String(limited.retryAfter)
            return response
        } catch let busy as PasswordHashingBusy {
            // The hashing pool is full (RFC 9110 §15.6.4): a page, not a queue without bound.
            var response = pages.errorPage(
                "Temporarily unavailable",
                "Too many sign-ins are being checked right now. Try again in a moment.",
                status: .serviceUnavailable
            )
            response.headers[.retryAfter] = String(busy.retryAfter)
            return response
        }
    }

    @Sendable func account(_ request: Request, _ context: CustosRequestContext) async throws -> Response {
        guard let (_, user) = try await pages.signedInUser(request) else {
            return BrowserPages.redirect(to: pages.loginPath)
        }
        return pages.render(
            "account",
            ["title": "Your account", "user_name": BrowserPages.displayName(user), "logout_action": pages.apiPrefix + "/logout"],
            csrf: pages.csrfCookie(request)
        )
    }

    @Sendable func logout(_ request: Request, _ context: CustosRequestContext) async throws -> Response {
        guard try await pages.form(request) != nil else {
            return pages.errorPage("Your session expired", "The form was too old or came from elsewhere.", status: .forbidden)
        }
        // The same logout as the end-session endpoint: clients of the session are told too.
        if let (session, _) = try await pages.signedInUser(request) {
            _ = try await pages.server.endSession.logout(session)
        }
        var response = BrowserPages.redirect(to: pages.loginPath)
        response.setCookie(pages.cookies.expired(BrowserCookies.session))
        return response
    }

    private func loginPage(
        _ request: Request,
        returnTo: String,
        clientID: String?,
        error: String? = nil,
        username: String = "",
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        var values = try await pages.branding(clientID: clientID)
        values["title"] = "Sign in"
        values["action"] = pages.loginPath
        values["return_to"] = returnTo
        values["username"] = username
        if let error { values["error"] = error }
        return pages.render("login", values, csrf: pages.csrfCookie(request), status: status)
    }
}
