import CustosCore
import CustosTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

// Shared helpers of the browser-page tests (LoginPage, LoginThrottle, ConsentPage) and of the
// user tests: a cookie-keeping browser over the in-process client, form encoding, HTML
// scraping, Set-Cookie parsing, and users and clients made for a test.

/// Where the API (and so the browser pages) lives.
let api = "/api/v1"

/// The message of every failed sign-in, whether or not the account exists.
let incorrectCredentialsMessage = "The username or password is incorrect."

/// One `Set-Cookie` header, parsed.
struct SetCookie: Sendable {
    let name: String
    let value: String
    /// Attribute names, lowercased, to their values ("" for flags such as `HttpOnly`).
    let attributes: [String: String]

    var isHttpOnly: Bool { attributes["httponly"] != nil }
    var isSecure: Bool { attributes["secure"] != nil }
    var sameSite: String? { attributes["samesite"] }
    var maxAge: Int? { attributes["max-age"].flatMap { Int($0) } }
    /// Whether the cookie is being deleted (empty, or `Max-Age` 0 or less).
    var isRemoval: Bool { value.isEmpty || (maxAge.map { $0 <= 0 } ?? false) }

    init?(header: String) {
        let parts = header.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let first = parts.first, let equals = first.firstIndex(of: "=") else { return nil }
        name = String(first[..<equals])
        value = String(first[first.index(after: equals)...])
        var attributes: [String: String] = [:]
        for part in parts.dropFirst() where !part.isEmpty {
            if let equals = part.firstIndex(of: "=") {
                attributes[part[..<equals].lowercased()] = String(part[part.index(after: equals)...])
            } else {
                attributes[part.lowercased()] = ""
            }
        }
        self.attributes = attributes
    }
}

extension TestResponse {
    var setCookies: [SetCookie] { headers[values: .setCookie].compactMap { SetCookie(header: $0) } }

    func setCookie(named name: String) -> SetCookie? { setCookies.last { $0.name == name } }

    var location: String? { headers[.location] }

    /// The `csrf_token` hidden field of the page's form.
    var csrfFormToken: String? { HTML.hiddenValue("csrf_token", in: text) }

    /// The text of the page's alert box (`role="alert"`), unescaped.
    var alertMessage: String? {
        HTML.firstMatch(#"role="alert">([^<]*)<"#, in: text).map(HTML.unescape)
    }
}

enum HTML {
    /// The value of `<input type="hidden" name="NAME" value="…">`, unescaped.
    static func hiddenValue(_ name: String, in html: String) -> String? {
        firstMatch(#"name="\#(name)" value="([^"]*)""#, in: html).map(unescape)
    }

    static func firstMatch(_ pattern: String, in text: String) -> String? {
        guard let regex = try? NSRegularExpression(pattern: pattern),
            let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)), match.numberOfRanges > 1,
            let range = Range(match.range(at: 1), in: text)
        else { return nil }
        return String(text[range])
    }

    static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&#x27;", with: "'").replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&#x2F;", with: "/")
            .replacingOccurrences(of: "&#x3D;", with: "=").replacingOccurrences(of: "&amp;", with: "&")
    }
}

enum FormEncoding {
    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }

    /// `application/x-www-form-urlencoded`, in the given order.
    static func encode(_ fields: [(String, String)]) -> String {
        fields.map { "\(escape($0.0))=\(escape($0.1))" }.joined(separator: "&")
    }

    /// A URL query in the same encoding.
    static func query(_ fields: [(String, String)]) -> String {
        fields.isEmpty ? "" : "?" + encode(fields)
    }
}

/// A browser over the in-process client: it keeps the cookies the server sets (and drops the
/// ones it deletes) and sends them back with every request, as a real browser would for the
/// cookies' path.
final class TestBrowser: Sendable {
    let client: any TestClientProtocol
    private let jar = Mutex<[String: String]>([:])
    /// Sent with every request (e.g. `X-Forwarded-For`).
    let extraHeaders: HTTPFields

    init(_ client: any TestClientProtocol, headers: HTTPFields = [:]) {
        self.client = client
        self.extraHeaders = headers
    }

    func cookie(_ name: String) -> String? { jar.withLock { $0[name] } }

    /// Sets (or with nil removes) a cookie by hand, e.g. to forge or drop one.
    func setCookie(_ name: String, _ value: String?) { jar.withLock { $0[name] = value } }

    var cookieHeader: String? {
        jar.withLock { jar in
            jar.isEmpty ? nil : jar.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
        }
    }

    func get(_ path: String) async throws -> TestResponse {
        try await send(path, method: .get, headers: [:], body: nil)
    }

    /// POSTs `fields` form-encoded, exactly as given (no token is added).
    func post(_ path: String, form fields: [(String, String)]) async throws -> TestResponse {
        try await send(
            path,
            method: .post,
            headers: [.contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: FormEncoding.encode(fields))
        )
    }

    /// Loads `pagePath`, then POSTs `fields` to `action` with the page's `csrf_token`.
    func submit(
        from pagePath: String,
        to action: String,
        _ fields: [(String, String)],
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> TestResponse {
        let page = try await get(pagePath)
        let token = try #require(page.csrfFormToken, "no csrf_token on \(pagePath): \(page.status) \(page.text)", sourceLocation: sourceLocation)
        return try await post(action, form: [("csrf_token", token)] + fields)
    }

    /// Signs in through the login form. Returns the POST's answer (303 on success).
    func signIn(
        _ username: String,
        _ password: String,
        returnTo: String? = nil,
        clientID: String? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> TestResponse {
        var query: [(String, String)] = [("prompt", "login")]
        if let returnTo { query.append(("return_to", returnTo)) }
        if let clientID { query.append(("client_id", clientID)) }
        var fields = [("username", username), ("password", password)]
        if let returnTo { fields.append(("return_to", returnTo)) }
        if let clientID { fields.append(("client_id", clientID)) }
        return try await submit(from: "\(api)/login" + FormEncoding.query(query), to: "\(api)/login", fields, sourceLocation: sourceLocation)
    }

    /// Signs in and fails the test unless a session cookie was set.
    @discardableResult
    func mustSignIn(_ username: String, _ password: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        let response = try await signIn(username, password, sourceLocation: sourceLocation)
        try #require(
            response.status == .seeOther,
            "sign-in failed: \(response.status) \(response.alertMessage ?? "")",
            sourceLocation: sourceLocation
        )
        return try #require(cookie(BrowserCookieName.session), "no session cookie after sign-in", sourceLocation: sourceLocation)
    }

    /// Whether `GET /account` shows the account page (200) rather than redirecting to sign-in.
    func isSignedIn(sourceLocation: SourceLocation = #_sourceLocation) async throws -> Bool {
        let response = try await get("\(api)/account")
        if response.status == .ok { return true }
        #expect(response.status == .seeOther, "GET /account: \(response.status)", sourceLocation: sourceLocation)
        #expect(response.location == "\(api)/login", "GET /account redirected to \(response.location ?? "nil")", sourceLocation: sourceLocation)
        return false
    }

    private func send(_ path: String, method: HTTPRequest.Method, headers: HTTPFields, body: ByteBuffer?) async throws -> TestResponse {
        var headers = headers
        headers.append(contentsOf: extraHeaders)
        if let cookies = cookieHeader { headers[.cookie] = cookies }
        let response = try await client.execute(uri: path, method: method, headers: headers, body: body)
        jar.withLock { jar in
            for cookie in response.setCookies { jar[cookie.name] = cookie.isRemoval ? nil : cookie.value }
        }
        return response
    }
}

enum BrowserCookieName {
    static let session = "custos_session"
    static let csrf = "custos_csrf"
}

/// A password that passes the policy, used by the tests' users.
let goodPassword = "correct horse battery staple"

extension TestServer {
    /// Creates an active user directly through the core (audited as the system).
    func makeUser(
        _ username: String = "alice",
        email: String? = nil,
        password: String? = goodPassword,
        name: String? = nil,
        roles: [String]? = nil
    ) async throws -> User {
        try await server.users.create(
            UserRequest(
                username: username,
                email: email ?? "\(username)@example.com",
                password: password,
                profile: name.map { UserProfile(name: $0) },
                roles: roles
            ),
            by: .system
        )
    }

    /// The stored client record of `clientID`.
    func oauthClient(_ clientID: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> OAuthClient {
        try #require(
            try await server.storage.client(clientID: clientID, tenant: .default),
            "client \(clientID) not found",
            sourceLocation: sourceLocation
        )
    }

    /// An access token issued to `clientID` on behalf of `user`.
    func userAccessToken(clientID: String, user: User, scopes: [String] = ["openid"]) async throws -> String {
        let client = try await oauthClient(clientID)
        return try await server.tokenIssuer.issueAccessToken(for: client, subject: user.id, userID: user.id, scopes: scopes).accessToken
    }

    /// An access token of `clientID` for `user`, recorded as issued in `session` (nil: outside
    /// any browser session), as the JSON authorize and consents APIs meet a first-party app's
    /// `account` token (rule 1 of the authorization boundaries).
    func accountToken(
        clientID: String,
        user: User,
        session: BrowserSession?,
        scopes: [String] = ["openid", "account"]
    ) async throws -> String {
        let client = try await oauthClient(clientID)
        var grant = TokenIssuer.Grant(
            client: client,
            subject: user.id,
            userID: user.id,
            scopes: scopes,
            grantID: ULID.make(),
            includeRefreshToken: false
        )
        grant.user = user
        var minted = try server.tokenIssuer.mint(grant)
        for index in minted.records.indices { minted.records[index].sessionID = session?.id }
        try await server.storage.record(minted.records)
        return minted.response.accessToken
    }

    /// An `account` access token of `clientID` for `user`, issued in a new browser session of theirs.
    func accountToken(clientID: String, user: User, scopes: [String] = ["openid", "account"]) async throws -> String {
        let (session, _) = try await server.sessions.start(for: user, amr: ["pwd"])
        return try await accountToken(clientID: clientID, user: user, session: session, scopes: scopes)
    }
}

extension TestClientProtocol {
    /// Registers a client through the admin API and returns its `client_id`.
    func registerClient(
        name: String = "Photo Album",
        _ overrides: [String: Any] = [:],
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> String {
        var body: [String: Any] = ["name": name, "redirect_uris": ["https://app.example.com/cb"]]
        body.merge(overrides) { $1 }
        let response = try await admin(.post, "/oauth/clients", token: try await adminToken(), json: body)
        try #require(response.status == .created, "client create failed: \(response.text)", sourceLocation: sourceLocation)
        return try #require(try response.data()["client_id"] as? String, sourceLocation: sourceLocation)
    }
}

/// The JWT ID (`jti`) of an access token, which is the id of its stored record.
func tokenID(of accessToken: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
    try #require(try jwtSegments(accessToken).payload["jti"] as? String, sourceLocation: sourceLocation)
}
