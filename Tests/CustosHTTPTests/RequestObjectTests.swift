import CustosCore
import CustosHTTP
import CustosStorage
import CustosTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

/// Request objects (RFC 9101; OpenID Connect Core §6): the authorization request as a JWT,
/// by value (`request`) or by reference (`request_uri`). Signed objects are verified with the
/// client's registered keys; unsigned ones are accepted only from clients that registered
/// `request_object_signing_alg: none`; the object's parameters win over the query's; every
/// failure is an error page, never a redirect. The rule-by-rule checks are in
/// `RequestObjectRulesTests`.
@Suite("OpenID: request objects")
struct RequestObjectTests {
    static let objectState = "state-from-object"
    static let objectNonce = "nonce-from-object"
    static let outsideState = "state-from-query"

    /// A code-flow client registered through the admin API with `key`'s public JWK (and so
    /// no `request_object_signing_alg`), `extra` admin fields applied.
    static func keyClient(_ flow: FlowContext, key: SigningKey, _ extra: [String: Any] = [:]) async throws -> FlowClient {
        var body: [String: Any] = ["jwks": SampleKeys.jwksText([key.verificationKey.jwk])]
        body.merge(extra) { $1 }
        let client = try await flow.makeClient(body)
        try await flow.consent(client)
        return client
    }

    /// A client registered through dynamic registration with `request_object_signing_alg`
    /// ES256 and the public JWKs of `keys`.
    static func dynamicKeyClient(_ flow: FlowContext, keys: [SigningKey]) async throws -> FlowClient {
        let registered = try await Registration.register(
            flow.http,
            ["request_object_signing_alg": "ES256", "jwks": ["keys": keys.map { $0.verificationKey.jwk }] as [String: Any]]
        )
        try await flow.consent(registered.flowClient)
        return registered.flowClient
    }

    /// The claims of a valid request object from `client` at the server's time, with `changes`
    /// applied (NSNull removes a member).
    static func claims(_ flow: FlowContext, for client: FlowClient, _ changes: [String: Any] = [:]) -> [String: Any] {
        let now = Int(flow.clock.now.timeIntervalSince1970)
        var claims: [String: Any] = [
            "iss": client.clientID, "aud": Flow.issuer, "iat": now, "nbf": now, "exp": now + 300, "jti": UUID().uuidString,
            "response_type": "code", "client_id": client.clientID, "redirect_uri": client.redirectURI, "scope": "openid profile",
            "state": objectState, "nonce": objectNonce, "code_challenge": Flow.challenge, "code_challenge_method": "S256",
        ]
        for (name, value) in changes {
            if value is NSNull { claims.removeValue(forKey: name) } else { claims[name] = value }
        }
        return claims
    }

    static func payload(_ claims: [String: Any]) throws -> [UInt8] {
        Array(try JSONSerialization.data(withJSONObject: claims, options: [.sortedKeys]))
    }

    /// A request object signed by `key` (RFC 9101 §10.8 type).
    static func signed(_ claims: [String: Any], key: SigningKey) throws -> String {
        try JWSCompact.sign(payload: try payload(claims), type: "oauth-authz-req+jwt", key: key)
    }

    /// An unsigned request object: header `{"alg":"none"}` and an empty signature.
    static func unsigned(_ claims: [String: Any]) throws -> String {
        Base64URL.encode(Array(#"{"alg":"none"}"#.utf8)) + "." + Base64URL.encode(try payload(claims)) + "."
    }

    /// `GET /oauth/authorize` with `client_id`, the object and an outside `state` (signed in).
    static func authorize(
        _ flow: FlowContext,
        clientID: String,
        request object: String? = nil,
        requestURI: String? = nil,
        extra: [(String, String)] = [("state", outsideState)]
    ) async throws -> TestResponse {
        var fields = [("client_id", clientID)]
        if let object { fields.append(("request", object)) }
        if let requestURI { fields.append(("request_uri", requestURI)) }
        return try await flow.authorize(fields + extra)
    }

    /// Expects the object to have been accepted: a 302 to the client with a code, the object's
    /// state (never the query's) and `iss`. Returns the code.
    @discardableResult
    static func expectAccepted(
        _ response: TestResponse,
        client: FlowClient,
        _ comment: String = "",
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> String {
        try #require(
            response.status == .found,
            "\(comment): \(response.status) \(response.location ?? response.text)",
            sourceLocation: sourceLocation
        )
        let query = try #require(RedirectQuery(response.location), sourceLocation: sourceLocation)
        #expect(query.base == client.redirectURI, "\(comment): \(response.location ?? "")", sourceLocation: sourceLocation)
        #expect(query["error"] == nil, "\(comment): \(response.location ?? "")", sourceLocation: sourceLocation)
        #expect(query["state"] == objectState, "\(comment): state in \(response.location ?? "")", sourceLocation: sourceLocation)
        #expect(query["iss"] == Flow.issuer, "\(comment): \(response.location ?? "")", sourceLocation: sourceLocation)
        return try #require(query["code"], "\(comment): no code in \(response.location ?? "")", sourceLocation: sourceLocation)
    }

    /// Redeems `code` and returns the verified ID token's claims.
    static func idTokenClaims(
        _ flow: FlowContext,
        code: String,
        client: FlowClient,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> [String: Any] {
        let response = try await flow.redeem(code, client: client)
        try #require(response.status == .ok, "token: \(response.text)", sourceLocation: sourceLocation)
        let idToken = try #require(response.string("id_token"), "\(response.text)", sourceLocation: sourceLocation)
        return try verifyJWT(idToken, keys: flow.server.server.keys, sourceLocation: sourceLocation).claims
    }

    // MARK: Signed objects by value

    @Test(
        "when a client with registered keys sends a signed request object then a code is issued with the object's state and nonce, and an outside state is ignored",
        arguments: TestDatabase.all
    )
    func signedObjectAccepted(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let key = try SigningKey.generate(.ES256)
            let client = try await Self.keyClient(flow, key: key)
            let object = try Self.signed(Self.claims(flow, for: client), key: key)
            let response = try await Self.authorize(flow, clientID: client.clientID, request: object)
            let code = try Self.expectAccepted(response, client: client, "signed request object")
            #expect(RedirectQuery(response.location)?.count(of: "state") == 1, "\(response.location ?? "")")
            let claims = try await Self.idTokenClaims(flow, code: code, client: client)
            #expect(claims["nonce"] as? String == Self.objectNonce, "the nonce comes from the object: \(claims)")
            #expect(claims["aud"] as? String == client.clientID)
        }
    }

    @Test(
        "when a client registered through DCR with request_object_signing_alg ES256 and a jwks object signs with it then the object is accepted",
        arguments: TestDatabase.all
    )
    func dynamicClientSignedObject(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let key = try SigningKey.generate(.ES256)
            let client = try await Self.dynamicKeyClient(flow, keys: [key])
            let object = try Self.signed(Self.claims(flow, for: client), key: key)
            let code = try Self.expectAccepted(
                try await Self.authorize(flow, clientID: client.clientID, request: object),
                client: client,
                "ES256 object"
            )
            let claims = try await Self.idTokenClaims(flow, code: code, client: client)
            #expect(claims["nonce"] as? String == Self.objectNonce)
        }
    }

    @Test(
        "when the request object carries a claims member as a JSON object then it is honoured like the claims parameter",
        arguments: TestDatabase.all
    )
    func claimsInsideObject(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let key = try SigningKey.generate(.ES256)
            let client = try await Self.keyClient(flow, key: key)
            let object = try Self.signed(
                Self.claims(flow, for: client, ["scope": "openid", "claims": ["id_token": ["email": ["essential": true]]]]),
                key: key
            )
            let code = try Self.expectAccepted(try await Self.authorize(flow, clientID: client.clientID, request: object), client: client)
            let claims = try await Self.idTokenClaims(flow, code: code, client: client)
            #expect(claims["email"] as? String == flow.user.email, "email asked for by the object's claims member: \(claims)")
        }
    }

    @Test(
        "when the request object's signature does not verify (another key, or a payload changed after signing) then a 400 error page and no redirect",
        arguments: TestDatabase.all
    )
    func badSignature(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let key = try SigningKey.generate(.ES256)
            let client = try await Self.keyClient(flow, key: key)
            let stranger = try SigningKey.generate(.ES256)
            let foreign = try Self.signed(Self.claims(flow, for: client), key: stranger)
            expectAuthorizationErrorPage(try await Self.authorize(flow, clientID: client.clientID, request: foreign), "signed by a stranger's key")

            // The client's own key and kid, but the payload swapped after signing.
            let genuine = try Self.signed(Self.claims(flow, for: client), key: key)
            let parts = genuine.split(separator: ".", omittingEmptySubsequences: false)
            let changed = Base64URL.encode(try Self.payload(Self.claims(flow, for: client, ["scope": "openid profile email"])))
            let tampered = [String(parts[0]), changed, String(parts[2])].joined(separator: ".")
            expectAuthorizationErrorPage(try await Self.authorize(flow, clientID: client.clientID, request: tampered), "tampered payload")

            // Control: the genuine object is accepted.
            try Self.expectAccepted(try await Self.authorize(flow, clientID: client.clientID, request: genuine), client: client, "genuine")
        }
    }

    // MARK: Unsigned objects

    @Test(
        "when a client that registered request_object_signing_alg sends an alg none object then a 400 error page and no redirect",
        arguments: TestDatabase.all
    )
    func unsignedRefusedWhenAlgRegistered(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let key = try SigningKey.generate(.ES256)
            let client = try await Self.dynamicKeyClient(flow, keys: [key])
            let object = try Self.unsigned(Self.claims(flow, for: client))
            expectAuthorizationErrorPage(
                try await Self.authorize(flow, clientID: client.clientID, request: object),
                "alg none from a client that registered ES256"
            )
        }
    }

    @Test(
        "when a client that registered request_object_signing_alg none sends an alg none object then it is accepted and its parameters used",
        arguments: TestDatabase.all
    )
    func unsignedAcceptedWhenNoneRegistered(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient(["request_object_signing_alg": "none"])
            try await flow.consent(client)
            let object = try Self.unsigned(Self.claims(flow, for: client, ["iss": NSNull(), "aud": NSNull(), "jti": NSNull()]))
            let code = try Self.expectAccepted(
                try await Self.authorize(flow, clientID: client.clientID, request: object),
                client: client,
                "unsigned object"
            )
            let claims = try await Self.idTokenClaims(flow, code: code, client: client)
            #expect(claims["nonce"] as? String == Self.objectNonce)
        }
    }

    @Test(
        "when a client registered ES256 but the object is signed with another algorithm its jwks holds then a 400 error page",
        arguments: TestDatabase.all
    )
    func otherAlgorithmRefused(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let es = try SigningKey.generate(.ES256)
            let rs = try SigningKey.generate(.RS256)
            let client = try await Self.dynamicKeyClient(flow, keys: [es, rs])
            let object = try Self.signed(Self.claims(flow, for: client), key: rs)
            expectAuthorizationErrorPage(try await Self.authorize(flow, clientID: client.clientID, request: object), "RS256 object, ES256 registered")
            // Control: the registered algorithm works.
            try Self.expectAccepted(
                try await Self.authorize(flow, clientID: client.clientID, request: try Self.signed(Self.claims(flow, for: client), key: es)),
                client: client,
                "ES256 object"
            )
        }
    }

    // MARK: Object contents

    @Test("when the object's client_id differs from the query's then a 400 error page and no redirect", arguments: TestDatabase.all)
    func clientIDMismatch(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let key = try SigningKey.generate(.ES256)
            let client = try await Self.keyClient(flow, key: key)
            let other = try await flow.makeClient(name: "Other App")
            try await flow.consent(other)
            let object = try Self.signed(Self.claims(flow, for: client, ["client_id": other.clientID]), key: key)
            let response = try await Self.authorize(flow, clientID: client.clientID, request: object)
            expectAuthorizationErrorPage(response, "object client_id \(other.clientID), query client_id \(client.clientID)")
        }
    }

    @Test("when the object has expired (exp beyond the leeway) or is not yet valid (nbf) then a 400 error page", arguments: TestDatabase.all)
    func expiredObject(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let key = try SigningKey.generate(.ES256)
            let client = try await Self.keyClient(flow, key: key)
            let now = Int(flow.clock.now.timeIntervalSince1970)
            let expired = try Self.signed(Self.claims(flow, for: client, ["iat": now - 600, "exp": now - 60]), key: key)
            expectAuthorizationErrorPage(try await Self.authorize(flow, clientID: client.clientID, request: expired), "exp 60 s ago")

            // An object that was valid when made expires with the clock.
            let valid = try Self.signed(Self.claims(flow, for: client), key: key)
            flow.clock.advance(by: 400)
            expectAuthorizationErrorPage(try await Self.authorize(flow, clientID: client.clientID, request: valid), "exp passed on the clock")

            let later = Int(flow.clock.now.timeIntervalSince1970)
            let early = try Self.signed(Self.claims(flow, for: client, ["nbf": later + 600, "exp": later + 900]), key: key)
            expectAuthorizationErrorPage(try await Self.authorize(flow, clientID: client.clientID, request: early), "nbf 10 minutes ahead")
        }
    }

    @Test("when a signed object names another issuer (iss) or another audience (aud) then a 400 error page", arguments: TestDatabase.all)
    func wrongIssuerOrAudience(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let key = try SigningKey.generate(.ES256)
            let client = try await Self.keyClient(flow, key: key)
            let wrongIss = try Self.signed(Self.claims(flow, for: client, ["iss": "someone-else"]), key: key)
            expectAuthorizationErrorPage(try await Self.authorize(flow, clientID: client.clientID, request: wrongIss), "iss is not the client")
            let wrongAud = try Self.signed(Self.claims(flow, for: client, ["aud": "https://other-server.example"]), key: key)
            expectAuthorizationErrorPage(try await Self.authorize(flow, clientID: client.clientID, request: wrongAud), "aud is another server")
        }
    }

    @Test(
        "when the object names a redirect_uri the client did not register then a 400 error page, never a redirect there",
        arguments: TestDatabase.all
    )
    func unregisteredRedirectInObject(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let key = try SigningKey.generate(.ES256)
            let client = try await Self.keyClient(flow, key: key)
            let object = try Self.signed(Self.claims(flow, for: client, ["redirect_uri": "https://attacker.example/cb"]), key: key)
            let response = try await Self.authorize(flow, clientID: client.clientID, request: object)
            expectAuthorizationErrorPage(response, "unregistered redirect_uri inside the object")
        }
    }

    @Test("when the request object is not a JWT at all then a 400 error page", arguments: TestDatabase.all)
    func garbageObject(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient()
            try await flow.consent(client)
            for garbage in ["not-a-jwt", "a.b", Base64URL.encode(Array(#"{"alg":"none"}"#.utf8)) + ".bm90LWpzb24."] {
                expectAuthorizationErrorPage(try await Self.authorize(flow, clientID: client.clientID, request: garbage), "request=\(garbage)")
            }
        }
    }

    // MARK: request_uri

    @Test("when request_uri is not an https URL then a 400 error page and nothing is fetched", arguments: TestDatabase.all)
    func insecureRequestURI(database: TestDatabase) async throws {
        let fetcher = RecordingFetcher()
        try await withFetcher(database, fetcher: fetcher) { flow in
            let key = try SigningKey.generate(.ES256)
            let client = try await Self.keyClient(flow, key: key)
            let uri = "http://app.example.com/request.jwt"
            fetcher.serve(try Self.signed(Self.claims(flow, for: client), key: key), at: uri)
            let response = try await Self.authorize(flow, clientID: client.clientID, requestURI: uri)
            expectAuthorizationErrorPage(response, "request_uri over http")
            #expect(fetcher.requested.isEmpty, "the server fetched \(fetcher.requested)")
        }
    }

    @Test("when request_uri is an https URL serving a signed object then it is fetched once and the object used", arguments: TestDatabase.all)
    func httpsRequestURI(database: TestDatabase) async throws {
        let fetcher = RecordingFetcher()
        try await withFetcher(database, fetcher: fetcher) { flow in
            let key = try SigningKey.generate(.ES256)
            let uri = "https://app.example.com/request.jwt"
            let client = try await Self.keyClient(flow, key: key, ["request_uris": [uri]])
            fetcher.serve(try Self.signed(Self.claims(flow, for: client), key: key), at: uri)
            let response = try await Self.authorize(flow, clientID: client.clientID, requestURI: uri)
            let code = try Self.expectAccepted(response, client: client, "request_uri over https")
            #expect(fetcher.requested == [uri])
            let claims = try await Self.idTokenClaims(flow, code: code, client: client)
            #expect(claims["nonce"] as? String == Self.objectNonce)
        }
    }

    @Test("when both request and request_uri are sent then a 400 error page and nothing is fetched", arguments: TestDatabase.all)
    func bothRequestAndRequestURI(database: TestDatabase) async throws {
        let fetcher = RecordingFetcher()
        try await withFetcher(database, fetcher: fetcher) { flow in
            let key = try SigningKey.generate(.ES256)
            let client = try await Self.keyClient(flow, key: key)
            let object = try Self.signed(Self.claims(flow, for: client), key: key)
            let uri = "https://app.example.com/request.jwt"
            fetcher.serve(object, at: uri)
            let response = try await Self.authorize(flow, clientID: client.clientID, request: object, requestURI: uri)
            expectAuthorizationErrorPage(response, "request and request_uri together")
            #expect(fetcher.requested.isEmpty, "the server fetched \(fetcher.requested)")
        }
    }
}

// MARK: A server whose outbound fetches are served by the test

/// A `JWKSFetcher` (the server's fetcher for jwks_uri, request_uri and sector_identifier_uri)
/// that serves the documents a test put at URLs and records every URL it is asked for.
/// Unknown URLs fail as an unreachable host would.
final class RecordingFetcher: JWKSFetcher {
    struct Unreachable: Error {}

    private let state = Mutex<(documents: [String: String], requested: [String])>(([:], []))

    func serve(_ document: String, at url: String) {
        state.withLock { $0.documents[url] = document }
    }

    /// Every URL fetched, in order.
    var requested: [String] { state.withLock { $0.requested } }

    func fetch(_ url: String) async throws -> String {
        let document = state.withLock { state -> String? in
            state.requested.append(url)
            return state.documents[url]
        }
        guard let document else { throw Unreachable() }
        return document
    }
}

/// Like `withFlow` (user "alice" signed in), on a server whose outbound fetches go to `fetcher`.
func withFetcher<T: Sendable>(
    _ database: TestDatabase,
    fetcher: any JWKSFetcher,
    configure: (inout ServerConfiguration) -> Void = { _ in },
    _ body: @Sendable (FlowContext) async throws -> T
) async throws -> T {
    let testServer = try await TestServer.make(database, jwksFetcher: fetcher) { configuration in
        configuration.issuer = Flow.issuer
        configure(&configuration)
    }
    let user = try await testServer.makeUser("alice")
    let (_, cookie) = try await testServer.server.sessions.start(for: user, amr: ["pwd"])
    return try await testServer.run { http in
        try await body(FlowContext(server: testServer, http: http, user: user, sessionCookie: cookie))
    }
}
