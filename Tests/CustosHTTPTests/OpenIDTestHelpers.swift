import CustosCore
import CustosHTTP
import CustosStorage
import CustosTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

// Shared helpers of the OpenID Connect tests (IDToken, UserInfo, DynamicRegistration, Logout,
// PairwiseSubject): a server with a recording back-channel notifier and the signed-in user's
// stored session, dynamic registration calls, ID token verification through the server's
// keys, userinfo calls and logout-page scraping. Built on OAuthFlowHelpers (FlowContext,
// FlowClient, Flow), BrowserTestHelpers and OAuthEndpointTestSupport.

enum OpenID {
    static let registerPath = "\(api)/oauth/register"
    static let userInfoPath = "\(api)/oauth/userinfo"
    static let logoutPath = "\(api)/oauth/logout"
    static let backchannelEvent = "http://schemas.openid.net/event/backchannel-logout"
    /// The display name of the test user "alice".
    static let userName = "Alice Liddell"
}

/// A `LogoutNotifier` that keeps every logout token it is asked to deliver.
final class RecordingLogoutNotifier: LogoutNotifier {
    struct Delivery: Sendable {
        let token: String
        let uri: String
    }

    private let deliveries = Mutex<[Delivery]>([])

    func deliver(logoutToken: String, to uri: String) {
        deliveries.withLock { $0.append(Delivery(token: logoutToken, uri: uri)) }
    }

    var all: [Delivery] { deliveries.withLock { $0 } }
}

/// A fresh server (as `TestServer.make` builds it) whose back-channel logout tokens go to `notifier`.
func makeOpenIDServer(
    _ database: TestDatabase,
    notifier: RecordingLogoutNotifier,
    configure: (inout ServerConfiguration) -> Void = { _ in }
) async throws -> TestServer {
    try await TestServer.make(database, logoutNotifier: notifier, configure: configure)
}

/// One OpenID test's world: the code-flow context (user "alice", named `OpenID.userName`,
/// signed in), the session the browser cookie stands for, and the back-channel deliveries.
struct OpenIDContext: Sendable {
    let flow: FlowContext
    /// The signed-in session as stored (its id is the ID token's `sid`).
    let session: BrowserSession
    let notifier: RecordingLogoutNotifier

    var http: any TestClientProtocol { flow.http }
    var server: TestServer { flow.server }
    var keys: SigningKeySet { flow.server.server.keys }
    var user: User { flow.user }
    var clock: ManualClock { flow.server.clock }

    /// `auth_time` as the ID token must carry it: the session's sign-in time in whole seconds.
    var sessionAuthTime: Int { Int(session.authTime.timeIntervalSince1970) }

    /// A browser holding the signed-in session cookie.
    func browser() -> TestBrowser {
        let browser = TestBrowser(http)
        browser.setCookie(BrowserCookieName.session, flow.sessionCookie)
        return browser
    }
}

/// Runs `body` against a fresh server on `database` with "alice" signed in. The clock is
/// moved to exactly half past a whole second before the sign-in, so that neither `auth_time`
/// (whole seconds) nor any stored instant (milliseconds) depends on how a backend rounds.
func withOpenID<T: Sendable>(
    _ database: TestDatabase,
    configure: (inout ServerConfiguration) -> Void = { _ in },
    _ body: @Sendable (OpenIDContext) async throws -> T
) async throws -> T {
    let notifier = RecordingLogoutNotifier()
    let server = try await makeOpenIDServer(database, notifier: notifier, configure: configure)
    // Computed on the reference-date value Date stores, so the sum is exact (Sterbenz).
    let now = server.clock.now.timeIntervalSinceReferenceDate
    server.clock.advance(by: (now.rounded(.down) + 1.5) - now)
    let user = try await server.makeUser("alice", name: OpenID.userName)
    let (_, cookie) = try await server.server.sessions.start(for: user, amr: ["pwd"])
    let session = try #require(try await server.server.sessions.resume(cookie: cookie)?.session)
    return try await server.run { http in
        try await body(
            OpenIDContext(
                flow: FlowContext(server: server, http: http, user: user, sessionCookie: cookie),
                session: session,
                notifier: notifier
            )
        )
    }
}

// MARK: Dynamic registration

/// A client created through `POST /oauth/register`: the 201 document and its credentials.
struct RegisteredClient: Sendable {
    let clientID: String
    let secret: String?
    let registrationAccessToken: String
    /// `registration_client_uri` as returned (absolute).
    let registrationClientURI: String
    let redirectURI: String

    /// The registration URI as a path for the in-process client.
    var registrationPath: String { String(registrationClientURI.dropFirst(Flow.issuer.count)) }

    var flowClient: FlowClient { FlowClient(clientID: clientID, secret: secret, redirectURI: redirectURI) }
}

enum Registration {
    /// Valid metadata for a confidential web client of the code flow, with `overrides` applied
    /// (an `NSNull` value removes the member).
    static func metadata(_ overrides: [String: Any] = [:]) -> [String: Any] {
        var body: [String: Any] = [
            "client_name": "Dynamic App", "redirect_uris": [Flow.redirectURI], "grant_types": ["authorization_code"],
            "response_types": ["code"], "scope": "openid profile email",
        ]
        for (name, value) in overrides {
            if value is NSNull { body[name] = nil } else { body[name] = value }
        }
        return body
    }

    /// `POST /oauth/register` with `body` as JSON (or `rawBody` as is).
    static func post(
        _ http: any TestClientProtocol,
        _ body: [String: Any]? = nil,
        rawBody: String? = nil,
        bearer: String? = nil
    ) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let bearer { headers[.authorization] = "Bearer \(bearer)" }
        let bytes = try rawBody.map { Data($0.utf8) } ?? JSONSerialization.data(withJSONObject: body ?? metadata())
        return try await http.execute(uri: OpenID.registerPath, method: .post, headers: headers, body: ByteBuffer(bytes: bytes))
    }

    /// Registers a client; fails the test unless the answer is 201.
    static func register(
        _ http: any TestClientProtocol,
        _ overrides: [String: Any] = [:],
        bearer: String? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> RegisteredClient {
        let body = metadata(overrides)
        let response = try await post(http, body, bearer: bearer)
        try #require(response.status == .created, "registration failed: \(response.text)", sourceLocation: sourceLocation)
        let json = try response.json()
        let uris = body["redirect_uris"] as? [String] ?? [Flow.redirectURI]
        return RegisteredClient(
            clientID: try #require(json["client_id"] as? String, sourceLocation: sourceLocation),
            secret: json["client_secret"] as? String,
            registrationAccessToken: try #require(json["registration_access_token"] as? String, sourceLocation: sourceLocation),
            registrationClientURI: try #require(json["registration_client_uri"] as? String, sourceLocation: sourceLocation),
            redirectURI: uris.first ?? Flow.redirectURI
        )
    }

    /// An RFC 7592 call on a client's registration with `token` as the bearer (none if nil).
    static func manage(
        _ http: any TestClientProtocol,
        _ method: HTTPRequest.Method,
        _ path: String,
        token: String?,
        json: [String: Any]? = nil
    ) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        var body: ByteBuffer?
        if let json {
            body = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json))
            headers[.contentType] = "application/json"
        }
        return try await http.execute(uri: path, method: method, headers: headers, body: body)
    }
}

/// Expects an RFC 7591 §3.2.2 error: `status`, JSON `error`, and nothing registered.
func expectRegistrationError(
    _ response: TestResponse,
    _ status: HTTPResponse.Status = .badRequest,
    error: String,
    _ comment: String = "",
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(response.status == status, "\(comment): \(response.status) \(response.text)", sourceLocation: sourceLocation)
    #expect(response.string("error") == error, "\(comment): \(response.text)", sourceLocation: sourceLocation)
    #expect(response.string("client_id") == nil, "\(comment): a client was returned: \(response.text)", sourceLocation: sourceLocation)
}

// MARK: Tokens

/// A JWT verified through the server's keys: its header and claims.
struct VerifiedJWT {
    let header: [String: Any]
    let claims: [String: Any]
}

/// Verifies `token` with `JWTVerifier` over the server's keys (signature, `kid`, `alg`, `typ`).
func verifyJWT(
    _ token: String,
    keys: SigningKeySet,
    type: String = "jwt",
    sourceLocation: SourceLocation = #_sourceLocation
) throws -> VerifiedJWT {
    let payload: [UInt8]
    do {
        payload = try JWTVerifier(keys: keys).verify(token, type: type)
    } catch {
        Issue.record("the token does not verify as \(type): \(error)", sourceLocation: sourceLocation)
        throw error
    }
    let claims = try #require(
        try JSONSerialization.jsonObject(with: Data(payload)) as? [String: Any],
        sourceLocation: sourceLocation
    )
    return VerifiedJWT(header: try jwtSegments(token).header, claims: claims)
}

extension OpenIDContext {
    /// Code flow for `client` (consent stored), then the token response's JSON.
    func tokenResponse(
        for client: FlowClient,
        scope: String = "openid profile",
        extra: [String: String?] = [:],
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> [String: Any] {
        let code = try await flow.code(for: client, scope: scope, replacing: extra, sourceLocation: sourceLocation)
        let response = try await flow.redeem(code, client: client)
        try #require(response.status == .ok, "token: \(response.text)", sourceLocation: sourceLocation)
        return try response.json()
    }

    /// The ID token and access token of a code flow, the ID token verified through the server's keys.
    func idToken(
        for client: FlowClient,
        scope: String = "openid profile",
        extra: [String: String?] = [:],
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> (raw: String, token: VerifiedJWT, accessToken: String) {
        let body = try await tokenResponse(for: client, scope: scope, extra: extra, sourceLocation: sourceLocation)
        let raw = try #require(body["id_token"] as? String, "no id_token in \(body)", sourceLocation: sourceLocation)
        let access = try #require(body["access_token"] as? String, sourceLocation: sourceLocation)
        return (raw, try verifyJWT(raw, keys: keys, sourceLocation: sourceLocation), access)
    }

    /// The JWKS document's keys, by `kid`.
    func publishedKeys() async throws -> [String: [String: Any]] {
        var byKid: [String: [String: Any]] = [:]
        for key in try await OAuthEndpointKit.jwks(http) {
            if let kid = key["kid"] as? String { byKid[kid] = key }
        }
        return byKid
    }

    // MARK: UserInfo

    /// `GET /oauth/userinfo` with `Authorization: Bearer` (unless nil) and any extra headers.
    func userInfo(bearer: String?, query: String = "", headers extra: HTTPFields = [:]) async throws -> TestResponse {
        var headers = extra
        if let bearer { headers[.authorization] = "Bearer \(bearer)" }
        return try await http.execute(uri: OpenID.userInfoPath + query, method: .get, headers: headers, body: nil)
    }

    /// `POST /oauth/userinfo` with the token in the form body (RFC 6750 §2.2).
    func userInfoPost(formToken token: String) async throws -> TestResponse {
        try await http.execute(
            uri: OpenID.userInfoPath,
            method: .post,
            headers: [.contentType: OAuthEndpointKit.formType],
            body: ByteBuffer(string: FormEncoding.encode([("access_token", token)]))
        )
    }
}

/// Expects a bearer-token failure (RFC 6750 §3): the status and a `WWW-Authenticate: Bearer`
/// header naming `error` (none expected when nil).
func expectBearerChallenge(
    _ response: TestResponse,
    _ status: HTTPResponse.Status,
    error: String?,
    _ comment: String = "",
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(response.status == status, "\(comment): \(response.status) \(response.text)", sourceLocation: sourceLocation)
    let challenge = response.headers[.wwwAuthenticate] ?? ""
    #expect(challenge.hasPrefix("Bearer"), "\(comment): WWW-Authenticate is \"\(challenge)\"", sourceLocation: sourceLocation)
    if let error {
        #expect(challenge.contains("error=\"\(error)\""), "\(comment): WWW-Authenticate is \"\(challenge)\"", sourceLocation: sourceLocation)
    }
    #expect(!response.text.contains("\"sub\""), "\(comment): claims were released: \(response.text)", sourceLocation: sourceLocation)
}

// MARK: Pages

extension TestResponse {
    /// The `src` of every iframe on the page, unescaped.
    var iframeSources: [String] {
        guard let regex = try? NSRegularExpression(pattern: #"<iframe[^>]*\ssrc="([^"]*)""#) else { return [] }
        let text = self.text
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { match in
            Range(match.range(at: 1), in: text).map { HTML.unescape(String(text[$0])) }
        }
    }

    var isHTML: Bool { headers[.contentType]?.hasPrefix("text/html") == true }
}
