import CustosCore
import CustosTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

// Shared helpers of the authorization-code flow tests (AuthorizationEndpoint, AuthorizationCodeGrant,
// RefreshTokenGrant, ClientAssertion, Introspection, Revocation, KeyRotation): clients made for
// the flow, a signed-in user without the browser pages, authorization requests, code redemption,
// introspection and revocation calls. Built on AdminTestHelpers, BrowserTestHelpers and
// OAuthEndpointTestSupport.

enum Flow {
    static let issuer = "http://custos.test"
    static let authorizePath = "\(api)/oauth/authorize"
    static let introspectPath = "\(api)/oauth/introspect"
    static let internalIntrospectPath = "\(api)/internal/oauth/introspect"
    static let revokePath = "\(api)/oauth/revoke"
    static let refreshPath = "\(api)/oauth/refresh"
    static let redirectURI = "https://app.example.com/cb"
    /// RFC 7636 Appendix B.
    static let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    static let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    /// Another valid verifier (43 unreserved characters) whose S256 is not `challenge`.
    static let otherVerifier = String(repeating: "a", count: 43)
    static let scopes = ["openid", "profile", "email", "offline_access"]
}

/// A client registered for the code flow; `secret` is nil for a public client.
struct FlowClient: Sendable {
    let clientID: String
    let secret: String?
    let redirectURI: String

    /// Client authentication for a form request: Basic for a confidential client, `client_id`
    /// in the body for a public one.
    var authorization: String? { secret.map { OAuthEndpointKit.basic(clientID, $0) } }
    var bodyFields: [(String, String)] { secret == nil ? [("client_id", clientID)] : [] }
}

/// A fresh server with a user signed in (a browser session made through the core) and the
/// in-process HTTP client.
struct FlowContext: Sendable {
    let server: TestServer
    let http: any TestClientProtocol
    let user: User
    /// The value of the `custos_session` cookie of the signed-in user.
    let sessionCookie: String

    var clock: ManualClock { server.clock }

    // MARK: Clients

    /// Creates a client through the admin API. Defaults: a confidential web client with
    /// `client_secret_basic`, the code and refresh grants, `Flow.scopes`, `Flow.redirectURI`.
    func makeClient(
        _ overrides: [String: Any] = [:],
        name: String = "Photo Album",
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> FlowClient {
        var body: [String: Any] = [
            "name": name, "redirect_uris": [Flow.redirectURI], "scopes": Flow.scopes,
            "grant_types": ["authorization_code", "refresh_token"],
        ]
        body.merge(overrides) { $1 }
        let token = try await http.adminToken()
        let response = try await http.admin(.post, "/oauth/clients", token: token, json: body)
        try #require(response.status == .created, "client create failed: \(response.text)", sourceLocation: sourceLocation)
        let data = try response.data()
        let secret = (data["client_secret"] as? String).flatMap { $0.isEmpty ? nil : $0 }
        let uris = body["redirect_uris"] as? [String] ?? [Flow.redirectURI]
        return FlowClient(
            clientID: try #require(data["client_id"] as? String, sourceLocation: sourceLocation),
            secret: secret,
            redirectURI: uris[0]
        )
    }

    /// A public client (`is_confidential` false, `none`).
    func makePublicClient(
        _ overrides: [String: Any] = [:],
        name: String = "Native App",
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> FlowClient {
        var body: [String: Any] = ["is_confidential": false, "client_auth_methods": ["none"]]
        body.merge(overrides) { $1 }
        return try await makeClient(body, name: name, sourceLocation: sourceLocation)
    }

    // MARK: Authorization endpoint

    /// The standard parameters of a valid request from `client`, with `replacing` applied
    /// (a nil value removes the parameter) and `extra` appended.
    static func parameters(
        for client: FlowClient,
        scope: String? = "openid profile",
        state: String? = "xyz",
        replacing: [String: String?] = [:],
        extra: [(String, String)] = []
    ) -> [(String, String)] {
        var fields: [(String, String)] = [
            ("response_type", "code"), ("client_id", client.clientID), ("redirect_uri", client.redirectURI),
            ("code_challenge", Flow.challenge), ("code_challenge_method", "S256"),
        ]
        if let scope { fields.append(("scope", scope)) }
        if let state { fields.append(("state", state)) }
        for (name, value) in replacing {
            if let index = fields.firstIndex(where: { $0.0 == name }) {
                if let value { fields[index].1 = value } else { fields.remove(at: index) }
            } else if let value {
                fields.append((name, value))
            }
        }
        return fields + extra
    }

    /// `GET /oauth/authorize` with the given parameters, signed in unless `signedIn` is false.
    func authorize(
        _ fields: [(String, String)],
        signedIn: Bool = true,
        headers extra: HTTPFields = [:]
    ) async throws -> TestResponse {
        try await authorize(rawQuery: FormEncoding.encode(fields), signedIn: signedIn, headers: extra)
    }

    /// `GET /oauth/authorize?<rawQuery>` exactly as given.
    func authorize(rawQuery: String, signedIn: Bool = true, headers extra: HTTPFields = [:]) async throws -> TestResponse {
        var headers = extra
        if signedIn { headers[.cookie] = "\(BrowserCookieName.session)=\(sessionCookie)" }
        return try await http.execute(uri: Flow.authorizePath + "?" + rawQuery, method: .get, headers: headers, body: nil)
    }

    /// Stores the user's consent to `scopes` for `client` (as the consent page would).
    func consent(_ client: FlowClient, scopes: [String] = Flow.scopes) async throws {
        _ = try await server.server.consents.grant(userID: user.id, clientID: client.clientID, scopes: scopes)
    }

    /// Consent stored, then a successful authorization request: returns the code.
    func code(
        for client: FlowClient,
        scope: String? = "openid profile",
        state: String = "xyz",
        replacing: [String: String?] = [:],
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> String {
        try await consent(client)
        let response = try await authorize(Self.parameters(for: client, scope: scope, state: state, replacing: replacing))
        try #require(response.status == .found, "authorize: \(response.status) \(response.location ?? response.text)", sourceLocation: sourceLocation)
        let query = try #require(
            RedirectQuery(response.location),
            "no redirect: \(response.location ?? "nil")",
            sourceLocation: sourceLocation
        )
        #expect(query["state"] == state, sourceLocation: sourceLocation)
        return try #require(query["code"], "no code in \(response.location ?? "")", sourceLocation: sourceLocation)
    }

    // MARK: Token endpoint

    /// Redeems `code` for `client` with its usual authentication.
    func redeem(
        _ code: String,
        client: FlowClient,
        verifier: String? = Flow.verifier,
        redirectURI: String?? = .none,
        authorization: String?? = .none
    ) async throws -> TestResponse {
        var fields: [(String, String)] = [("grant_type", "authorization_code"), ("code", code)]
        let uri: String? = redirectURI ?? client.redirectURI
        if let uri { fields.append(("redirect_uri", uri)) }
        if let verifier { fields.append(("code_verifier", verifier)) }
        fields += client.bodyFields
        return try await OAuthEndpointKit.post(http, fields, authorization: authorization ?? client.authorization)
    }

    /// The whole code flow without the browser pages: the token response's JSON.
    func tokens(
        for client: FlowClient,
        scope: String? = "openid profile",
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> [String: Any] {
        let code = try await code(for: client, scope: scope, sourceLocation: sourceLocation)
        let response = try await redeem(code, client: client)
        try #require(response.status == .ok, "token: \(response.text)", sourceLocation: sourceLocation)
        return try response.json()
    }

    /// `grant_type=refresh_token` at the token endpoint.
    func refresh(
        _ refreshToken: String,
        client: FlowClient,
        scope: String? = nil,
        authorization: String?? = .none
    ) async throws
        -> TestResponse
    {
        var fields: [(String, String)] = [("grant_type", "refresh_token"), ("refresh_token", refreshToken)]
        if let scope { fields.append(("scope", scope)) }
        fields += client.bodyFields
        return try await OAuthEndpointKit.post(http, fields, authorization: authorization ?? client.authorization)
    }

    // MARK: Introspection and revocation

    /// `POST /oauth/introspect` authenticated as `caller` (Basic) — or with `bearer`, or with
    /// nothing — sending `accept` as the `Accept` header when given.
    func introspect(
        _ token: String,
        caller: FlowClient? = nil,
        bearer: String? = nil,
        hint: String? = nil,
        accept: String? = nil
    ) async throws -> TestResponse {
        var fields = [("token", token)]
        if let hint { fields.append(("token_type_hint", hint)) }
        var headers: HTTPFields = [.contentType: OAuthEndpointKit.formType]
        if let accept { headers[.accept] = accept }
        if let bearer {
            headers[.authorization] = "Bearer \(bearer)"
        } else if let caller {
            if let authorization = caller.authorization { headers[.authorization] = authorization } else { fields += caller.bodyFields }
        }
        return try await http.execute(
            uri: Flow.introspectPath,
            method: .post,
            headers: headers,
            body: ByteBuffer(string: FormEncoding.encode(fields))
        )
    }

    /// `active` of the introspection of `token`, asked by the bootstrap admin client.
    func isActive(_ token: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> Bool {
        let response = try await introspect(token, caller: adminClient)
        try #require(response.status == .ok, "introspect: \(response.text)", sourceLocation: sourceLocation)
        return try #require(try response.json()["active"] as? Bool, sourceLocation: sourceLocation)
    }

    /// The bootstrap admin client, a confidential client with client_secret_basic.
    var adminClient: FlowClient {
        FlowClient(clientID: TestServer.adminClientID, secret: TestServer.adminClientSecret, redirectURI: Flow.redirectURI)
    }

    /// `POST /oauth/revoke` (form) authenticated as `client`.
    func revoke(_ token: String, client: FlowClient, hint: String? = nil) async throws -> TestResponse {
        var fields = [("token", token)]
        if let hint { fields.append(("token_type_hint", hint)) }
        fields += client.bodyFields
        var headers: HTTPFields = [.contentType: OAuthEndpointKit.formType]
        if let authorization = client.authorization { headers[.authorization] = authorization }
        return try await http.execute(
            uri: Flow.revokePath,
            method: .post,
            headers: headers,
            body: ByteBuffer(string: FormEncoding.encode(fields))
        )
    }
}

/// Runs `body` against a fresh server on `database` with user "alice" signed in.
func withFlow<T: Sendable>(
    _ database: TestDatabase,
    senderConstraints: [any SenderConstraint]? = nil,
    configure: (inout ServerConfiguration) -> Void = { _ in },
    _ body: @Sendable (FlowContext) async throws -> T
) async throws -> T {
    let server = try await TestServer.make(database, senderConstraints: senderConstraints, configure: configure)
    let user = try await server.makeUser("alice")
    let (_, cookie) = try await server.server.sessions.start(for: user, amr: ["pwd"])
    return try await server.run { http in
        try await body(FlowContext(server: server, http: http, user: user, sessionCookie: cookie))
    }
}

/// The query of a redirect `Location`, percent-decoded (no `+` decoding: the server writes
/// spaces as %20), plus the URL without its query.
struct RedirectQuery {
    let base: String
    let items: [(String, String?)]

    init?(_ location: String?) {
        guard let location, let components = URLComponents(string: location) else { return nil }
        var copy = components
        copy.query = nil
        base = copy.string ?? ""
        items = (components.percentEncodedQueryItems ?? []).map { ($0.name, $0.value?.removingPercentEncoding) }
    }

    subscript(_ name: String) -> String? { items.first { $0.0 == name }?.1 ?? nil }

    func count(of name: String) -> Int { items.filter { $0.0 == name }.count }
}

/// Expects the "cannot be redirected" answer of the authorization endpoint: a 400 HTML page,
/// no `Location` header, no code anywhere.
func expectAuthorizationErrorPage(
    _ response: TestResponse,
    _ comment: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(response.status == .badRequest, "\(comment): \(response.status) \(response.location ?? "")", sourceLocation: sourceLocation)
    #expect(response.location == nil, "\(comment): redirected to \(response.location ?? "")", sourceLocation: sourceLocation)
    #expect(
        response.headers[.contentType]?.hasPrefix("text/html") == true,
        "\(comment): \(response.headers[.contentType] ?? "no type")",
        sourceLocation: sourceLocation
    )
    #expect(!response.text.contains("custos_ac_"), "\(comment): a code appears on the error page", sourceLocation: sourceLocation)
}

/// Expects a 302 to `redirectURI` carrying `error`, the exact `state` and `iss`.
func expectRedirectError(
    _ response: TestResponse,
    to redirectURI: String,
    error: String,
    state: String? = "xyz",
    _ comment: String = "",
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(response.status == .found, "\(comment): \(response.status) \(response.text)", sourceLocation: sourceLocation)
    guard let query = RedirectQuery(response.location) else {
        Issue.record("\(comment): no Location header", sourceLocation: sourceLocation)
        return
    }
    #expect(query.base == redirectURI, "\(comment): \(response.location ?? "")", sourceLocation: sourceLocation)
    #expect(query["error"] == error, "\(comment): \(response.location ?? "")", sourceLocation: sourceLocation)
    #expect(query["state"] == state, "\(comment): state in \(response.location ?? "")", sourceLocation: sourceLocation)
    #expect(query["iss"] == Flow.issuer, "\(comment): iss in \(response.location ?? "")", sourceLocation: sourceLocation)
    #expect(
        query["code"] == nil && query["access_token"] == nil,
        "\(comment): a credential in \(response.location ?? "")",
        sourceLocation: sourceLocation
    )
}

/// A compact JWS with any header and payload, signed by `key` over the real signing input.
func signedJWT(header: [String: Any], payload: [String: Any], key: SigningKey) throws -> String {
    let input = try jwtSigningInput(header: header, payload: payload)
    return input + "." + Base64URL.encode(try key.sign(Array(input.utf8)))
}

/// `BASE64URL(header) . BASE64URL(payload)`.
func jwtSigningInput(header: [String: Any], payload: [String: Any]) throws -> String {
    let headerBytes = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
    let payloadBytes = try JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys])
    return Base64URL.encode(headerBytes) + "." + Base64URL.encode(payloadBytes)
}

/// The JSON text of a token response's body with `name` decoded as a string.
extension TestResponse {
    func string(_ name: String) -> String? { (try? json())?[name] as? String }
}
