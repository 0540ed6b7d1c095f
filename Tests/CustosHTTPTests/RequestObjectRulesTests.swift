import CustosCore
import CustosHTTP
import CustosTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

/// Rule 7 of "Authorization boundaries" (RFC 9101; OpenID Connect Core §6), one test per
/// check: the claims a signed object must carry, its type and header, who may send `alg:
/// none`, which parameters count (strict clients: only the object's; others: the object's,
/// plus the query's it lacks), `request_uri` registration and the per-client fetch limit;
/// and rule 4's request-object half (an object's `max_age` cannot be overridden from outside).
@Suite("OpenID: request object rules")
struct RequestObjectRulesTests {
    typealias Objects = RequestObjectTests

    /// Expects the error page (400, no redirect) and that it says `reason`.
    static func expectRefused(
        _ response: TestResponse,
        _ reason: String,
        _ comment: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        expectAuthorizationErrorPage(response, comment, sourceLocation: sourceLocation)
        #expect(response.text.contains(reason), "\(comment): the page does not say \"\(reason)\": \(response.text)", sourceLocation: sourceLocation)
    }

    /// A signed object with `header` members added to `{"alg": key's}`.
    static func signed(_ claims: [String: Any], key: SigningKey, header: [String: Any]) throws -> String {
        var fullHeader: [String: Any] = ["alg": key.algorithm.rawValue, "kid": key.kid]
        fullHeader.merge(header) { $1 }
        return try signedJWT(header: fullHeader, payload: claims, key: key)
    }

    /// The query of a 302 to the client (nil when the answer is not one).
    static func redirectQuery(_ response: TestResponse, client: FlowClient) -> RedirectQuery? {
        guard response.status == .found, let query = RedirectQuery(response.location), query.base == client.redirectURI else { return nil }
        return query
    }

    /// A client that signs request objects with `key`, registered (with `metadata`) and
    /// consented in `flow`: the setup every test here starts from.
    struct ObjectSender: Sendable {
        let flow: FlowContext
        let key: SigningKey
        let client: FlowClient

        /// A signed object of the usual claims with `changes` applied (`NSNull` removes one).
        func object(_ changes: [String: Any] = [:]) throws -> String {
            try Objects.signed(Objects.claims(flow, for: client, changes), key: key)
        }

        /// `GET /oauth/authorize` with `object` and the query's own `state`.
        func send(_ object: String) async throws -> TestResponse {
            try await Objects.authorize(flow, clientID: client.clientID, request: object)
        }
    }

    static func withSender(
        _ database: TestDatabase,
        _ metadata: [String: Any] = [:],
        _ body: @Sendable (ObjectSender) async throws -> Void
    ) async throws {
        nonisolated(unsafe) let metadata = metadata  // only read, inside the flow
        try await withFlow(database) { flow in
            let key = try SigningKey.generate(.ES256)
            try await body(ObjectSender(flow: flow, key: key, client: try await Objects.keyClient(flow, key: key, metadata)))
        }
    }

    // MARK: Claims of a signed object

    @Test(
        "when a signed object has no aud, or an aud that is not the issuer, then it is refused; an aud list holding the issuer is accepted",
        arguments: TestDatabase.all
    )
    func audience(database: TestDatabase) async throws {
        try await Self.withSender(database) { sender in
            let client = sender.client
            for aud in [NSNull(), "https://other.example" as Any, [Flow.issuer + "/other"] as Any] {
                let object = try sender.object(["aud": aud])
                Self.expectRefused(
                    try await sender.send(object),
                    "aud must be the issuer",
                    "aud \(aud)"
                )
            }
            let listed = try sender.object(["aud": ["https://other.example", Flow.issuer]])
            try Objects.expectAccepted(try await sender.send(listed), client: client, "aud list")
        }
    }

    @Test("when a signed object has no iss, or an iss that is not the client_id, then it is refused", arguments: TestDatabase.all)
    func issuer(database: TestDatabase) async throws {
        try await Self.withSender(database) { sender in
            for iss in [NSNull(), Flow.issuer as Any] {
                let object = try sender.object(["iss": iss])
                Self.expectRefused(
                    try await sender.send(object),
                    "iss must be the client_id",
                    "iss \(iss)"
                )
            }
        }
    }

    @Test("when a signed object lacks exp or nbf then it is refused", arguments: TestDatabase.all)
    func expAndNbfRequired(database: TestDatabase) async throws {
        try await Self.withSender(database) { sender in
            for missing in ["exp", "nbf"] {
                let object = try sender.object([missing: NSNull()])
                Self.expectRefused(
                    try await sender.send(object),
                    "must carry exp and nbf",
                    "no \(missing)"
                )
            }
        }
    }

    @Test(
        "when exp - nbf exceeds 60 minutes or nbf is over 60 minutes old then the object is refused; nbf 8 s ahead is accepted",
        arguments: TestDatabase.all
    )
    func validityWindow(database: TestDatabase) async throws {
        try await Self.withSender(database) { sender in
            let (flow, client) = (sender.flow, sender.client)
            let now = Int(flow.clock.now.timeIntervalSince1970)
            let long = try sender.object(["nbf": now, "exp": now + 3_601])
            Self.expectRefused(
                try await sender.send(long),
                "valid for more than 60 minutes",
                "exp - nbf 3601 s"
            )
            // Within the window and not expired (exp is 5 s ago, inside the 10 s leeway), but nbf is too old.
            let old = try sender.object(["nbf": now - 3_605, "exp": now - 5])
            Self.expectRefused(
                try await sender.send(old),
                "nbf is more than 60 minutes old",
                "nbf 3605 s ago"
            )
            let ahead = try sender.object(["nbf": now + 8, "exp": now + 300])
            try Objects.expectAccepted(try await sender.send(ahead), client: client, "nbf 8 s ahead")
        }
    }

    @Test("when a signed object has no jti then it is refused; when it is sent twice the second is refused", arguments: TestDatabase.all)
    func jtiSingleUse(database: TestDatabase) async throws {
        try await Self.withSender(database) { sender in
            let client = sender.client
            let bare = try sender.object(["jti": NSNull()])
            Self.expectRefused(try await sender.send(bare), "must carry a jti", "no jti")

            let object = try sender.object()
            try Objects.expectAccepted(try await sender.send(object), client: client, "first use")
            Self.expectRefused(try await sender.send(object), "used already", "replayed object")
        }
    }

    @Test("when an object is refused for another reason then its jti is not used up", arguments: TestDatabase.all)
    func refusedObjectKeepsJTI(database: TestDatabase) async throws {
        try await Self.withSender(database) { sender in
            let (flow, client) = (sender.flow, sender.client)
            let object = try sender.object()
            Self.expectRefused(
                try await Objects.authorize(flow, clientID: client.clientID, request: object, extra: [("response_type", "token")]),
                "response_type differs",
                "response_type outside differs from inside"
            )
            try Objects.expectAccepted(try await sender.send(object), client: client, "then sent right")
        }
    }

    // MARK: Header

    @Test(
        "when typ is the type of another kind of token then the object is refused; JWT and oauth-authz-req+jwt are accepted",
        arguments: TestDatabase.all
    )
    func type(database: TestDatabase) async throws {
        try await Self.withSender(database) { sender in
            let (flow, key, client) = (sender.flow, sender.key, sender.client)
            for typ in ["at+jwt", "logout+jwt", "secevent+jwt", "dpop+jwt"] {
                let object = try Self.signed(Objects.claims(flow, for: client), key: key, header: ["typ": typ])
                Self.expectRefused(
                    try await sender.send(object),
                    "typ must be oauth-authz-req+jwt",
                    "typ \(typ)"
                )
            }
            for typ in ["JWT", "oauth-authz-req+jwt"] {
                let object = try Self.signed(Objects.claims(flow, for: client), key: key, header: ["typ": typ])
                try Objects.expectAccepted(try await sender.send(object), client: client, "typ \(typ)")
            }
        }
    }

    @Test("when the header names critical parameters (crit) then the object is refused", arguments: TestDatabase.all)
    func critical(database: TestDatabase) async throws {
        try await Self.withSender(database) { sender in
            let (flow, key, client) = (sender.flow, sender.key, sender.client)
            let object = try Self.signed(Objects.claims(flow, for: client), key: key, header: ["crit": ["urn:example:ext"], "urn:example:ext": 1])
            Self.expectRefused(try await sender.send(object), "(crit)", "crit")
        }
    }

    // MARK: alg none

    @Test("when a client that registered no request_object_signing_alg sends an alg none object then it is refused", arguments: TestDatabase.all)
    func unsignedRefusedWithoutNoneRegistered(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient()
            try await flow.consent(client)
            let object = try Objects.unsigned(Objects.claims(flow, for: client, ["iss": NSNull(), "aud": NSNull()]))
            Self.expectRefused(
                try await Objects.authorize(flow, clientID: client.clientID, request: object),
                "must sign its request objects",
                "alg none"
            )
        }
    }

    @Test(
        "when request_object_signing_alg none is registered then dynamic registration accepts and returns it, and admin reads it back",
        arguments: TestDatabase.all
    )
    func noneRegistrable(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let response = try await Registration.post(flow.http, Registration.metadata(["request_object_signing_alg": "none"]))
            #expect(response.status == .created, "\(response.text)")
            #expect(try response.json()["request_object_signing_alg"] as? String == "none")

            let token = try await flow.http.adminToken()
            let created = try await flow.http.admin(
                .post,
                "/oauth/clients",
                token: token,
                json: ["name": "Unsigned App", "redirect_uris": [Flow.redirectURI], "request_object_signing_alg": "none"]
            )
            #expect(created.status == .created, "\(created.text)")
            let id = try #require(try created.data()["client_id"] as? String)
            let item = try await flow.http.admin(.get, "/oauth/clients/\(id)", token: token)
            #expect(try item.data()["request_object_signing_alg"] as? String == "none", "\(item.text)")
        }
    }

    @Test(
        "when a FAPI client (or one requiring signed objects) registers request_object_signing_alg none then a 400 naming the field",
        arguments: TestDatabase.all
    )
    func noneRefusedForStrictClients(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let key = try SigningKey.generate(.ES256)
            let token = try await flow.http.adminToken()
            let fapi: [String: Any] = [
                "name": "Bank App", "redirect_uris": [Flow.redirectURI], "fapi_profile": "fapi2", "client_auth_methods": ["private_key_jwt"],
                "jwks": SampleKeys.jwksText([key.verificationKey.jwk]),
            ]
            for (extra, comment) in [
                (["request_object_signing_alg": "none"] as [String: Any], "FAPI with none"),
                (["request_object_signing_alg": "RS256"], "FAPI with RS256"),
            ] {
                let response = try await flow.http.admin(.post, "/oauth/clients", token: token, json: fapi.merging(extra) { $1 })
                #expect(response.status == .badRequest, "\(comment): \(response.text)")
                #expect(response.text.contains("request_object_signing_alg"), "\(comment): \(response.text)")
            }
            let control = try await flow.http.admin(
                .post,
                "/oauth/clients",
                token: token,
                json: fapi.merging(["request_object_signing_alg": "ES256"]) { $1 }
            )
            #expect(control.status == .created, "FAPI with ES256: \(control.text)")

            let strict = try await flow.http.admin(
                .post,
                "/oauth/clients",
                token: token,
                json: [
                    "name": "Strict App", "redirect_uris": [Flow.redirectURI], "require_signed_request_object": true,
                    "request_object_signing_alg": "none",
                ]
            )
            #expect(strict.status == .badRequest, "require_signed_request_object with none: \(strict.text)")
            let registered = try await Registration.post(
                flow.http,
                Registration.metadata(["require_signed_request_object": true, "request_object_signing_alg": "none"])
            )
            #expect(registered.status == .badRequest, "DCR require_signed_request_object with none: \(registered.text)")
        }
    }

    // MARK: Parameter assembly

    @Test(
        "when a client without strict rules sends an object lacking state then the query state is merged in, on success and on an error redirect",
        arguments: TestDatabase.all
    )
    func mergedQueryState(database: TestDatabase) async throws {
        try await Self.withSender(database) { sender in
            let client = sender.client
            let object = try sender.object(["state": NSNull()])
            let accepted = try await sender.send(object)
            let query = try #require(Self.redirectQuery(accepted, client: client), "\(accepted.status) \(accepted.text)")
            #expect(query["code"] != nil && query["state"] == Objects.outsideState, "\(accepted.location ?? "")")

            let broken = try sender.object(["state": NSNull(), "code_challenge_method": "plain"])
            expectRedirectError(
                try await sender.send(broken),
                to: client.redirectURI,
                error: "invalid_request",
                state: Objects.outsideState,
                "object with plain PKCE"
            )
        }
    }

    @Test(
        "when a client requires signed request objects then only the object's parameters count: the query's state and code_challenge are ignored",
        arguments: TestDatabase.all
    )
    func strictAssembly(database: TestDatabase) async throws {
        try await Self.withSender(database, ["require_signed_request_object": true]) { sender in
            let (flow, client) = (sender.flow, sender.client)
            let stateless = try sender.object(["state": NSNull()])
            let accepted = try await sender.send(stateless)
            let query = try #require(Self.redirectQuery(accepted, client: client), "\(accepted.status) \(accepted.text)")
            #expect(query["code"] != nil && query["state"] == nil, "the query state must not be used: \(accepted.location ?? "")")

            let noChallenge = try sender.object(["code_challenge": NSNull()])
            expectRedirectError(
                try await Objects.authorize(
                    flow,
                    clientID: client.clientID,
                    request: noChallenge,
                    extra: [("code_challenge", Flow.challenge), ("code_challenge_method", "S256")]
                ),
                to: client.redirectURI,
                error: "invalid_request",
                state: Objects.objectState,
                "PKCE only in the query"
            )
        }
    }

    @Test(
        "when a client requires signed request objects then a request without one, or with an unsigned one, is refused",
        arguments: TestDatabase.all
    )
    func strictRequiresSignedObject(database: TestDatabase) async throws {
        try await Self.withSender(database, ["require_signed_request_object": true]) { sender in
            let (flow, client) = (sender.flow, sender.client)
            Self.expectRefused(
                try await flow.authorize(FlowContext.parameters(for: client)),
                "must send its authorization request as a signed request object",
                "plain request"
            )
            let unsigned = try Objects.unsigned(Objects.claims(flow, for: client))
            Self.expectRefused(
                try await sender.send(unsigned),
                "must sign its request objects",
                "alg none"
            )
            // Control: the same client's ordinary signed object.
            try Objects.expectAccepted(
                try await sender.send(try sender.object()),
                client: client,
                "signed"
            )
        }
    }

    @Test("when the object's max_age is small and the query says max_age=999999 then an older sign-in must be repeated", arguments: TestDatabase.all)
    func objectMaxAgeWins(database: TestDatabase) async throws {
        try await Self.withSender(database) { sender in
            let (flow, client) = (sender.flow, sender.client)
            flow.clock.advance(by: 120)
            let object = try sender.object(["max_age": 60])
            let response = try await Objects.authorize(
                flow,
                clientID: client.clientID,
                request: object,
                extra: [("state", Objects.outsideState), ("max_age", "999999")]
            )
            #expect(response.status == .seeOther || response.status == .found, "\(response.status) \(response.text)")
            #expect(response.location?.hasPrefix("\(api)/login") == true, "expected the sign-in page: \(response.location ?? "")")

            // Control: without max_age in the object the query's is merged in, and the sign-in suffices.
            let lenient = try sender.object()
            try Objects.expectAccepted(
                try await Objects.authorize(
                    flow,
                    clientID: client.clientID,
                    request: lenient,
                    extra: [("state", Objects.outsideState), ("max_age", "999999")]
                ),
                client: client,
                "query max_age only"
            )
        }
    }

    // MARK: request_uri

    @Test("when request_uri is an https URL the client did not register then it is refused and nothing is fetched", arguments: TestDatabase.all)
    func unregisteredRequestURI(database: TestDatabase) async throws {
        let fetcher = RecordingFetcher()
        try await withFetcher(database, fetcher: fetcher) { flow in
            let key = try SigningKey.generate(.ES256)
            let client = try await Objects.keyClient(flow, key: key, ["request_uris": ["https://app.example.com/registered.jwt"]])
            let uri = "https://app.example.com/other.jwt"
            fetcher.serve(try Objects.signed(Objects.claims(flow, for: client), key: key), at: uri)
            Self.expectRefused(try await Objects.authorize(flow, clientID: client.clientID, requestURI: uri), "not registered", "unregistered")
            #expect(fetcher.requested.isEmpty, "the server fetched \(fetcher.requested)")
        }
    }

    @Test("when the registered request_uri cannot be fetched then invalid_request_uri on the error page", arguments: TestDatabase.all)
    func unfetchableRequestURI(database: TestDatabase) async throws {
        let fetcher = RecordingFetcher()
        try await withFetcher(database, fetcher: fetcher) { flow in
            let key = try SigningKey.generate(.ES256)
            let uri = "https://app.example.com/missing.jwt"
            let client = try await Objects.keyClient(flow, key: key, ["request_uris": [uri]])
            Self.expectRefused(try await Objects.authorize(flow, clientID: client.clientID, requestURI: uri), "could not be fetched", "unreachable")
            #expect(fetcher.requested == [uri])
        }
    }

    @Test(
        "when request_uris holds an http URL, a fragment, an empty string or more than 10 entries then a 400 naming the field; discovery says registration is required",
        arguments: TestDatabase.all
    )
    func requestURIRegistration(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let token = try await flow.http.adminToken()
            let many = (0...10).map { "https://app.example.com/r\($0).jwt" }
            for uris in [["http://app.example.com/r.jwt"], ["https://app.example.com/r.jwt#v1"], [""], many] {
                let response = try await flow.http.admin(
                    .post,
                    "/oauth/clients",
                    token: token,
                    json: ["name": "App", "redirect_uris": [Flow.redirectURI], "request_uris": uris]
                )
                #expect(response.status == .badRequest, "\(uris): \(response.text)")
                #expect(response.text.contains("request_uris"), "\(uris): \(response.text)")
                let registered = try await Registration.post(flow.http, Registration.metadata(["request_uris": uris]))
                #expect(registered.status == .badRequest, "DCR \(uris): \(registered.text)")
            }
            let uri = "https://app.example.com/r.jwt"
            let registered = try await Registration.post(
                flow.http,
                Registration.metadata(["request_uris": [uri], "require_signed_request_object": true])
            )
            #expect(registered.status == .created, "\(registered.text)")
            #expect(try registered.json()["request_uris"] as? [String] == [uri])
            #expect(try registered.json()["require_signed_request_object"] as? Bool == true)

            let discovery = try await flow.http.execute(uri: "/.well-known/openid-configuration", method: .get, headers: [:], body: nil)
            let metadata = try discovery.json()
            #expect(metadata["require_request_uri_registration"] as? Bool == true)
            #expect(metadata["request_uri_parameter_supported"] as? Bool == true)
            #expect((metadata["request_object_signing_alg_values_supported"] as? [String])?.contains("none") == true)
        }
    }

    @Test(
        "when a client has 2 request_uri fetches in flight then a third is refused without fetching, and slots come back after success and failure",
        arguments: TestDatabase.all
    )
    func concurrentFetchLimit(database: TestDatabase) async throws {
        let fetcher = GatedFetcher()
        try await withFetcher(database, fetcher: fetcher) { flow in
            let key = try SigningKey.generate(.ES256)
            let uri = "https://app.example.com/slow.jwt"
            let client = try await Objects.keyClient(flow, key: key, ["request_uris": [uri]])
            fetcher.produce { try Objects.signed(Objects.claims(flow, for: client), key: key) }

            async let first = Objects.authorize(flow, clientID: client.clientID, requestURI: uri)
            async let second = Objects.authorize(flow, clientID: client.clientID, requestURI: uri)
            let bothWaiting = try await fetcher.waitUntilWaiting(2)
            #expect(bothWaiting, "the two fetches never started together")
            if bothWaiting {
                Self.expectRefused(
                    try await Objects.authorize(flow, clientID: client.clientID, requestURI: uri),
                    "too many concurrent request_uri fetches",
                    "third fetch"
                )
                #expect(fetcher.started == 2, "the third request was fetched")
            }
            fetcher.open()
            try Objects.expectAccepted(try await first, client: client, "first slow fetch")
            try Objects.expectAccepted(try await second, client: client, "second slow fetch")

            // Failed fetches release their slots too: after two failures, two more fetches run.
            fetcher.failing(true)
            for attempt in 1...2 {
                Self.expectRefused(
                    try await Objects.authorize(flow, clientID: client.clientID, requestURI: uri),
                    "could not be fetched",
                    "failure \(attempt)"
                )
            }
            fetcher.failing(false)
            try Objects.expectAccepted(
                try await Objects.authorize(flow, clientID: client.clientID, requestURI: uri),
                client: client,
                "after failures"
            )
        }
    }
}

/// A fetcher whose fetches wait until the test opens the gate (then or afterwards they answer
/// at once), serving a fresh document per fetch or failing, as the test sets.
final class GatedFetcher: JWKSFetcher {
    struct Unreachable: Error {}

    private struct State {
        var isOpen = false
        var isFailing = false
        var waiting = 0
        var started = 0
        var document: (@Sendable () throws -> String)?
    }

    private let state = Mutex(State())

    func produce(_ document: @escaping @Sendable () throws -> String) { state.withLock { $0.document = document } }
    func open() { state.withLock { $0.isOpen = true } }
    func failing(_ value: Bool) { state.withLock { $0.isFailing = value } }
    var started: Int { state.withLock { $0.started } }

    /// Waits (up to 10 s) until `count` fetches are held at the gate.
    func waitUntilWaiting(_ count: Int) async throws -> Bool {
        for _ in 0..<2_000 {
            if state.withLock({ $0.waiting >= count }) { return true }
            try await Task.sleep(for: .milliseconds(5))
        }
        return false
    }

    func fetch(_ url: String) async throws -> String {
        state.withLock {
            $0.started += 1
            $0.waiting += 1
        }
        defer { state.withLock { $0.waiting -= 1 } }
        while !state.withLock({ $0.isOpen }) { try await Task.sleep(for: .milliseconds(5)) }
        let (failing, document) = state.withLock { ($0.isFailing, $0.document) }
        guard !failing, let document else { throw Unreachable() }
        return try document()
    }
}
