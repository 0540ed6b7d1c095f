import CustosCore
import CustosTestSupport
import Foundation
import Testing

/// The binding seam without HTTP: the token endpoint asks the registered sender constraints
/// once and hands the result to the grant; `TokenIssuer.mint` writes it into the JWT, the
/// records and `token_type`, and writes nothing new for an unbound token.
@Suite("Sender constraint: token endpoint and issuer")
struct TokenBindingTests {
    static let issuer = "https://custos.example"

    static func client(confidential: Bool = true) -> OAuthClient {
        OAuthClient(
            id: ULID.make(at: CoreFixtures.epoch),
            tenant: .default,
            clientID: "cl_binding",
            name: "Binding",
            isConfidential: confidential,
            redirectURIs: ["https://app.example.com/cb"],
            grantTypes: [.clientCredentials, .refreshToken],
            authMethods: [confidential ? .clientSecretBasic : .none],
            scopes: ["read"],
            corsOrigins: [],
            createdAt: CoreFixtures.epoch,
            updatedAt: CoreFixtures.epoch
        )
    }

    /// Records the context it was called with and answers with that binding's token type.
    final class RecordingGrant: GrantHandler, @unchecked Sendable {
        static let grantType = GrantType.clientCredentials
        static let parameters: Set<String> = []
        var contexts: [GrantContext] = []

        func handle(_ request: TokenRequest, context: GrantContext) async throws -> TokenResponse {
            contexts.append(context)
            return TokenResponse(
                accessToken: "t",
                tokenType: CustosCore.Confirmation.tokenType(for: context.confirmation),
                expiresIn: 1,
                scope: nil
            )
        }
    }

    static func exchange(constraints: [any SenderConstraint], grant: RecordingGrant) async throws -> TokenResponse {
        let endpoint = TokenEndpoint(handlers: [grant], senderConstraints: constraints)
        return try await endpoint.exchange(
            TokenRequest(parameters: ["grant_type": "client_credentials"]),
            client: AuthenticatedClient(client: client(), method: .clientSecretBasic)
        )
    }

    @Test("when one constraint binds the request then the grant gets that confirmation; when none does, nil")
    func endpointHandsBinding() async throws {
        let grant = RecordingGrant()
        let bound = try await Self.exchange(constraints: [FixedSenderConstraint(nil), FixedSenderConstraint(.jkt("k"))], grant: grant)
        #expect(bound.tokenType == "DPoP")
        let unbound = try await Self.exchange(constraints: [FixedSenderConstraint(nil)], grant: grant)
        #expect(unbound.tokenType == "Bearer")
        #expect(grant.contexts.map(\.confirmation) == [.jkt("k"), nil])
        #expect(grant.contexts.allSatisfy { $0.client.client.clientID == "cl_binding" })
    }

    @Test("when two constraints bind one request then invalid_request and the grant is not called")
    func twoBindingsRefused() async throws {
        let grant = RecordingGrant()
        await #expect {
            _ = try await Self.exchange(constraints: [FixedSenderConstraint(.jkt("k")), FixedSenderConstraint(.x5tS256("c"))], grant: grant)
        } throws: { error in
            (error as? OAuthError)?.code == .invalidRequest
        }
        #expect(grant.contexts.isEmpty)
    }

    /// Runs `body` with an issuer over a fresh SQLite storage holding one signing key.
    static func withIssuer(_ body: (TokenIssuer, SigningKeySet) async throws -> Void) async throws {
        let storage: any Storage = try await TestDatabase.sqlite.makeStorage()
        do {
            let clock = ManualClock(CoreFixtures.epoch)
            let keys = SigningKeySet(
                store: storage,
                sealer: KeySealer(masterKey: MasterKey.generate().key),
                tenant: .default,
                clock: clock,
                defaultAlgorithm: .ES256
            )
            try await keys.ensureKeys(algorithms: [.ES256], logger: LogCapture().logger())
            let issuer = TokenIssuer(
                configuration: ServerConfiguration(issuer: Self.issuer),
                keys: keys,
                tokens: storage,
                users: storage,
                clock: clock
            )
            try await body(issuer, keys)
            try await storage.close()
        } catch {
            try? await storage.close()
            throw error
        }
    }

    static func payload(_ jwt: String) throws -> [String: Any] {
        let parts = jwt.split(separator: ".")
        try #require(parts.count == 3)
        let bytes = try #require(Base64URL.decode(parts[1]))
        return try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    static func grant(
        confidential: Bool,
        confirmation: CustosCore.Confirmation?,
        audience: [String] = [],
        actor: TokenAttributes.Actor? = nil
    ) -> TokenIssuer.Grant {
        GrantContext(
            client: AuthenticatedClient(client: client(confidential: confidential), method: confidential ? .clientSecretBasic : .none),
            confirmation: confirmation
        ).issuance(
            subject: "cl_binding",
            userID: nil,
            user: nil,
            scopes: ["read"],
            grantID: ULID.make(),
            includeRefreshToken: true,
            audience: audience,
            actor: actor
        )
    }

    @Test("when an unbound grant is minted then the JWT has exactly today's claims, aud the issuer, and token_type Bearer")
    func unboundUnchanged() async throws {
        try await Self.withIssuer { issuer, _ in
            let minted = try issuer.mint(Self.grant(confidential: true, confirmation: nil))
            #expect(minted.response.tokenType == "Bearer")
            let claims = try Self.payload(minted.response.accessToken)
            #expect(Set(claims.keys) == ["iss", "sub", "aud", "exp", "iat", "jti", "client_id", "scope"])
            #expect(claims["aud"] as? String == Self.issuer)
            #expect(minted.records.allSatisfy { $0.attributes == TokenAttributes(audience: [Self.issuer]) })
        }
    }

    @Test("when a DPoP-bound grant is minted then the JWT carries cnf.jkt, token_type is DPoP and the records remember the binding")
    func dpopBound() async throws {
        try await Self.withIssuer { issuer, _ in
            let minted = try issuer.mint(Self.grant(confidential: false, confirmation: .jkt("thumb")))
            #expect(minted.response.tokenType == "DPoP")
            #expect(try Self.payload(minted.response.accessToken)["cnf"] as? [String: String] == ["jkt": "thumb"])
            let access = try #require(minted.records.first { $0.kind == .accessToken })
            let refresh = try #require(minted.records.first { $0.kind == .refreshToken })
            #expect(access.attributes.confirmation == .jkt("thumb"))
            #expect(refresh.attributes.confirmation == .jkt("thumb"), "a public client's refresh token is bound (RFC 9449 §5)")
        }
    }

    @Test("when a confidential client's bound grant is minted then its refresh token is not bound (RFC 9449 §5, RFC 8705 §4)")
    func confidentialRefreshUnbound() async throws {
        try await Self.withIssuer { issuer, _ in
            let minted = try issuer.mint(Self.grant(confidential: true, confirmation: .x5tS256("cert")))
            #expect(minted.response.tokenType == "Bearer")
            #expect(minted.records.first { $0.kind == .accessToken }?.attributes.confirmation == .x5tS256("cert"))
            #expect(minted.records.first { $0.kind == .refreshToken }?.attributes.confirmation == nil)
        }
    }

    @Test("when a grant names audiences and an actor then the JWT carries aud as an array and act (RFC 8693 §4.1)")
    func audienceAndActor() async throws {
        try await Self.withIssuer { issuer, _ in
            let actor = TokenAttributes.Actor(subject: "svc-1", clientID: "cl_actor")
            let minted = try issuer.mint(
                Self.grant(confidential: true, confirmation: nil, audience: ["https://a.example", "https://b.example"], actor: actor)
            )
            let claims = try Self.payload(minted.response.accessToken)
            #expect(claims["aud"] as? [String] == ["https://a.example", "https://b.example"])
            #expect(claims["act"] as? [String: String] == ["sub": "svc-1", "client_id": "cl_actor"])
            #expect(claims["cnf"] == nil)
            #expect(minted.records.allSatisfy { $0.attributes.actor == actor && $0.attributes.audience.count == 2 })
        }
    }
}
