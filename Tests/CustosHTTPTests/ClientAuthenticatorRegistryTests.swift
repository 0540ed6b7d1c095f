import CustosTestSupport
import Foundation
import Testing

@testable import CustosCore

/// `ClientAuthenticator` as a registry of verifiers (issue #12 item 2): each built-in verifier
/// answers for its methods, two mechanisms in one request are refused (RFC 6749 §2.3), a
/// certificate alone is no public client, and a verifier added to the registry is used and
/// listed in `supportedMethods`.
@Suite("Client authentication verifier registry")
struct ClientAuthenticatorRegistryTests {
    static let secret = "custos_cs_registry-secret-0123456789abcdef"

    static func presentation(
        basic: BasicCredentials? = nil,
        clientID: String? = nil,
        secret: String? = nil,
        assertion: String? = nil,
        assertionType: String? = nil,
        certificate: PresentedCertificate? = nil
    ) -> RequestPresentation {
        RequestPresentation(
            credentials: PresentedClientCredentials(
                basic: basic,
                bodyClientID: clientID,
                bodySecret: secret,
                assertion: assertion,
                assertionType: assertionType
            ),
            clientCertificate: certificate
        )
    }

    static func make() async throws -> TestServer {
        let server = try await TestServer.make(.sqlite)
        try await OAuthEndpointKit.insertClient(server, clientID: "confidential-app", secret: Self.secret)
        let validator = ClientMetadataValidator(scopes: ScopeRegistry(), supportedAuthMethods: Set(ClientAuthenticationMethod.allCases))
        let publicClient = try validator.validate(
            ClientRegistrationRequest(
                name: "Public",
                redirectURIs: ["https://app.example.com/cb"],
                grantTypes: ["authorization_code"],
                isConfidential: false,
                scopes: ["openid"]
            ),
            existing: nil
        )
        _ = try await server.server.clients.insert(publicClient, clientID: "public-app", secretValue: nil, action: "client.create", by: .system)
        var tlsRequest = ClientRegistrationRequest(
            name: "Mutual TLS",
            redirectURIs: ["https://app.example.com/cb"],
            clientAuthMethods: ["tls_client_auth"],
            grantTypes: ["client_credentials"],
            scopes: ["openid"]
        )
        tlsRequest.metadataMembers = ["tls_client_auth_subject_dn": .string("CN=client.example.com")]
        let tlsClient = try validator.validate(tlsRequest, existing: nil)
        _ = try await server.server.clients.insert(tlsClient, clientID: "tls-app", secretValue: nil, action: "client.create", by: .system)
        return server
    }

    static func expectError(
        _ code: OAuthError.Code,
        _ description: String?,
        sourceLocation: SourceLocation = #_sourceLocation,
        _ body: () async throws -> AuthenticatedClient
    ) async {
        do {
            let client = try await body()
            Issue.record("authenticated \(client.client.clientID) by \(client.method)", sourceLocation: sourceLocation)
        } catch let error as OAuthError {
            #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
            if let description { #expect(error.description == description, sourceLocation: sourceLocation) }
        } catch {
            Issue.record("unexpected \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test("when a request presents one mechanism then the verifier of that mechanism authenticates it and names the method")
    func eachVerifier() async throws {
        let server = try await Self.make()
        let authenticator = server.server.clientAuthenticator
        let basic = try await authenticator.authenticate(
            Self.presentation(basic: BasicCredentials(id: "confidential-app", secret: Self.secret)),
            source: .unknown
        )
        #expect(basic.client.clientID == "confidential-app" && basic.method == .clientSecretBasic)
        let post = try await authenticator.authenticate(Self.presentation(clientID: "confidential-app", secret: Self.secret), source: .unknown)
        #expect(post.method == .clientSecretPost)
        let none = try await authenticator.authenticate(Self.presentation(clientID: "public-app"), source: .unknown)
        #expect(none.client.clientID == "public-app" && none.method == .none)
        await Self.expectError(.invalidClient, "the client assertion is invalid") {
            try await authenticator.authenticate(
                Self.presentation(assertion: "not.a.jwt", assertionType: ClientAssertionVerifier.assertionType),
                source: .unknown
            )
        }
        try await server.server.storage.close()
    }

    @Test("when a request presents two mechanisms then it is refused with invalid_request before any client is loaded")
    func twoMechanisms() async throws {
        let server = try await Self.make()
        let authenticator = server.server.clientAuthenticator
        let basic = BasicCredentials(id: "confidential-app", secret: Self.secret)
        for presentation in [
            Self.presentation(basic: basic, secret: Self.secret),
            Self.presentation(basic: basic, assertion: "a.b.c", assertionType: ClientAssertionVerifier.assertionType),
            Self.presentation(clientID: "confidential-app", secret: Self.secret, assertionType: ClientAssertionVerifier.assertionType),
        ] {
            await Self.expectError(.invalidRequest, "use only one client authentication method per request") {
                try await authenticator.authenticate(presentation, source: .unknown)
            }
        }
        try await server.server.storage.close()
    }

    @Test(
        "when a request presents only a client_id and a certificate then it is not read as a public client, and an unchained certificate does not pass tls_client_auth: invalid_client"
    )
    func certificateIsNotPublic() async throws {
        let server = try await Self.make()
        let authenticator = server.server.clientAuthenticator
        let certificate = PresentedCertificate(der: try TestClientCertificate.make().der, subjectDN: "CN=client.example.com")
        for clientID in ["public-app", "tls-app"] {
            await Self.expectError(.invalidClient, nil) {
                try await authenticator.authenticate(Self.presentation(clientID: clientID, certificate: certificate), source: .unknown)
            }
        }
        try await server.server.storage.close()
    }

    @Test("the built-in registry supports exactly basic, post, client_secret_jwt, private_key_jwt, the two mutual-TLS methods and none")
    func builtInMethods() async throws {
        let server = try await Self.make()
        #expect(
            server.server.clientAuthenticator.supportedMethods == [
                .clientSecretBasic, .clientSecretPost, .clientSecretJWT, .privateKeyJWT, .tlsClientAuth, .selfSignedTLSClientAuth, .none,
            ]
        )
        #expect(Set(server.server.clientAuthenticator.supportedMethods) == ClientAuthenticator.standardMethods)
        try await server.server.storage.close()
    }

    /// A stand-in for the mutual-TLS verifier of issue #13: the certificate's thumbprint
    /// must be the one the test expects.
    struct ThumbprintVerifier: ClientAuthenticationVerifier {
        let expectedThumbprint: String
        var methods: Set<ClientAuthenticationMethod> { [.tlsClientAuth] }
        func presents(_ presentation: RequestPresentation) -> Bool {
            presentation.clientCertificate != nil && presentation.credentials.mechanismCount == 0
        }
        func claimedClientID(in presentation: RequestPresentation) throws -> String {
            guard let id = presentation.credentials.bodyClientID else { throw OAuthError.invalidClient("client_id is required") }
            return id
        }
        func verify(_ presentation: RequestPresentation, for client: OAuthClient) async throws -> ClientAuthenticationMethod {
            guard client.authMethods.contains(.tlsClientAuth), presentation.clientCertificate?.thumbprint == expectedThumbprint else {
                throw OAuthError.invalidClient()
            }
            return .tlsClientAuth
        }
        func refusal(for presentation: RequestPresentation) -> OAuthError { OAuthError.invalidClient() }
    }

    @Test("when a verifier is added to the registry then its method is supported and a request of its shape is handed to it")
    func addedVerifier() async throws {
        let server = try await Self.make()
        let der = try TestClientCertificate.make().der
        let certificate = PresentedCertificate(der: der, subjectDN: "CN=client.example.com")
        let storage = server.server.storage
        let cache = ClientCache(clients: storage, secrets: storage, lifetime: 0, clock: server.clock)
        let authenticator = ClientAuthenticator(
            cache: cache,
            verifiers: [
                PublicClientVerifier(hasher: ClientSecretHasher(key: MasterKey.generate().key.derive(purpose: "test"))),
                ThumbprintVerifier(expectedThumbprint: PresentedCertificate.thumbprint(of: der)),
            ],
            tenant: server.server.configuration.tenant
        )
        #expect(authenticator.supportedMethods == [.tlsClientAuth, .none])
        let client = try await authenticator.authenticate(Self.presentation(clientID: "tls-app", certificate: certificate), source: .unknown)
        #expect(client.client.clientID == "tls-app" && client.method == .tlsClientAuth)
        // The public client did not register tls_client_auth: refused, not taken for `none`.
        await Self.expectError(.invalidClient, nil) {
            try await authenticator.authenticate(Self.presentation(clientID: "public-app", certificate: certificate), source: .unknown)
        }
        let other = PresentedCertificate(der: try TestClientCertificate.make().der, subjectDN: "CN=client.example.com")
        await Self.expectError(.invalidClient, nil) {
            try await authenticator.authenticate(Self.presentation(clientID: "tls-app", certificate: other), source: .unknown)
        }
        try await storage.close()
    }
}
