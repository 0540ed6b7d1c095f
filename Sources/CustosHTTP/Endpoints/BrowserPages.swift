import CustosCore
import Foundation
import Hummingbird

/// What the login, consent and account pages share: rendering, cookies, CSRF tokens, the
/// signed-in user, and the rule for where a page may send the browser next.
struct BrowserPages: Sendable {
    let server: AuthorizationServer
    let renderer: PageRenderer
    let cookies: BrowserCookies
    let apiPrefix: String
    let bodyLimit: Int

    var loginPath: String { apiPrefix + "/login" }

    /// The challenge of a 401 that only signing in through the login form can answer (RFC 9110
    /// §15.5.2 requires one on every 401; no registered scheme names a form and a cookie).
    static let sessionChallenge = "Session realm=\"custos\""
    var accountPath: String { apiPrefix + "/account" }

    /// Where the browser resumes a pending authorization request: its handle, nothing else.
    func pendingAuthorizationPath(_ handle: String) -> String {
        apiPrefix + "/oauth/authorize?" + QueryEncoding.encode([(AuthorizationEndpoint.pendingParameter, handle)])
    }

    /// The CSRF cookie value of this browser, or a new one to set with the response.
    func csrfCookie(_ request: Request) -> (value: String, isNew: Bool) {
        if let value = BrowserCookies.value(BrowserCookies.csrf, in: request) { return (value, false) }
        return (server.csrf.newCookieValue(), true)
    }

    func render(
        _ template: String,
        _ values: [String: Any],
        csrf: (value: String, isNew: Bool)? = nil,
        status: HTTPResponse.Status = .ok
    ) -> Response {
        var values = values
        var response: Response
        if let csrf { values["csrf_token"] = server.csrf.formToken(for: csrf.value) }
        response = renderer.page(template, values, status: status)
        if let csrf, csrf.isNew { response.setCookie(cookies.make(BrowserCookies.csrf, value: csrf.value)) }
        return response
    }

    func errorPage(_ title: String, _ message: String, status: HTTPResponse.Status) -> Response {
        renderer.page("error", ["title": title, "message": message], status: status)
    }

    func signedInUser(_ request: Request) async throws -> (session: BrowserSession, user: User)? {
        guard let cookie = BrowserCookies.value(BrowserCookies.session, in: request) else { return nil }
        return try await server.sessions.resume(cookie: cookie)
    }

    /// Reads a form posted by one of our pages and checks its CSRF token.
    func form(_ request: Request) async throws -> [String: String]? {
        let parameters: [String: String]
        do {
            parameters = try await ProtocolForm.read(request, limit: bodyLimit)
        } catch let error as RequestBody.TooLarge {
            throw error
        } catch {
            return nil
        }
        guard server.csrf.isValid(formToken: parameters["csrf_token"], cookieValue: BrowserCookies.value(BrowserCookies.csrf, in: request))
        else { return nil }
        return parameters
    }

    /// Only paths on this server are followed after sign-in: an absolute URL or `//host` would
    /// make the login page an open redirector.
    static func safeReturnPath(_ value: String?) -> String? {
        guard let value, value.hasPrefix("/"), !value.hasPrefix("//"), !value.hasPrefix("/\\"),
            value.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\\") })
        else { return nil }
        return value
    }

    static func redirect(to location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }

    static func displayName(_ user: User) -> String {
        user.profile.name.flatMap { $0.isEmpty ? nil : $0 } ?? user.username
    }

    /// Branding of the client named in a request, for the page header.
    func branding(clientID: String?) async throws -> [String: Any] {
        guard let clientID, !clientID.isEmpty, let client = try await server.storage.client(clientID: clientID, tenant: server.configuration.tenant)
        else { return [:] }
        var values: [String: Any] = ["client_name": client.name, "client_id": client.clientID]
        if let logo = client.logoURL { values["client_logo"] = logo }
        if let website = client.website { values["client_website"] = website }
        return values
    }
}
