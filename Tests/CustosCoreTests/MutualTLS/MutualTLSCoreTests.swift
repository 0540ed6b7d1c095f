import Crypto
import CustosCore
import CustosTestSupport
import Foundation
import Testing

/// RFC 8705 in the core, with certificates as the HTTP layer presents them (`PresentedCertificate`
/// values; the X.509 parsing and chain validation are tested in CustosHTTPTests): the
/// `tls_client_auth` and `self_signed_tls_client_auth` verifier (security cases F17, F19), the
/// registration rules, certificate-bound tokens at the token endpoint, on refresh and at UserInfo.
@Suite("Mutual TLS in the core (RFC 8705)")
struct MutualTLSCoreTests {
    static let redirectURI = "https://app.example.com/cb"
    static let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    static let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"

    /// A certificate as the HTTP layer would present it; `der` only feeds the thumbprint.
    static func certificate(
        subjectDN: String = "CN=client.example.com,O=Example Client",
        names: PresentedCertificate.SubjectAlternativeNames = .init(),
        key: P256.Signing.PublicKey = P256.Signing.PrivateKey().publicKey,
        trusted: Bool = true
    ) -> PresentedCertificate {
        PresentedCertificate(
            der: Array(UUID().uuidString.utf8),
            subjectDN: subjectDN,
            subjectAlternativeNames: names,
            publicKeySPKI: Array(key.derRepresentation),
            chainsToTrustedCA: trusted
        )
    }

    static func request(
        _ method: String,
        members: [String: JSONValue],
        grantTypes: [String] = ["client_credentials"],
        jwks: String? = nil,
        fapiProfile: String? = nil
    ) -> ClientRegistrationRequest {
        var request = ClientRegistrationRequest(
            name: "mTLS",
            redirectURIs: [redirectURI],
            clientAuthMethods: [method],
            grantTypes: grantTypes,
            scopes: ["openid", "offline_access"]
        )
        request.jwks = jwks
        request.fapiProfile = fapiProfile
        request.metadataMembers = members
        return request
    }

    static func authenticate(_ harness: CoreHarness, _ clientID: String, _ certificate: PresentedCertificate?) async throws -> AuthenticatedClient {
        try await harness.server.clientAuthenticator.authenticate(
            RequestPresentation(credentials: PresentedClientCredentials(bodyClientID: clientID), clientCertificate: certificate),
            source: .unknown
        )
    }

    static func expectOAuthError(
        _ code: OAuthError.Code,
        _ body: () async throws -> some Any,
        sourceLocation: SourceLocation = #_sourceLocation
    )
        async
    {
        do {
            _ = try await body()
            Issue.record("expected \(code.rawValue)", sourceLocation: sourceLocation)
        } catch let error as OAuthError {
            #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("expected \(code.rawValue), got \(error)", sourceLocation: sourceLocation)
        }
    }

    static func expectRejected(_ harness: CoreHarness, _ request: ClientRegistrationRequest, naming field: String) async {
        do {
            _ = try await harness.register(request)
            Issue.record("expected a refusal naming \(field)")
        } catch let error as AdminError {
            guard case .invalidField(let named, _) = error else {
                Issue.record("\(error)")
                return
            }
            #expect(named == field, "\(error)")
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test(
        "tls_client_auth with a subject DN: a trusted certificate with that DN (RFC 4514 compare) authenticates; another DN, an untrusted chain or no certificate is invalid_client (F17)",
        arguments: TestDatabase.all
    )
    func subjectDN(database: TestDatabase) async throws {
        try await CoreHarness.with(database) { harness in
            let created = try await harness.register(
                Self.request("tls_client_auth", members: ["tls_client_auth_subject_dn": .string("CN=client.example.com, O=Example Client")])
            )
            let id = created.client.clientID
            #expect(created.secret == nil)
            for dn in [
                "CN=client.example.com,O=Example Client", "cn=Client.Example.COM,o=Example  Client", "CN=client\\2Eexample.com,O=Example Client",
            ] {
                let client = try await Self.authenticate(harness, id, Self.certificate(subjectDN: dn))
                #expect(client.method == .tlsClientAuth, "\(dn)")
            }
            for dn in ["CN=other.example.com,O=Example Client", "CN=client.example.com", "O=Example Client,CN=client.example.com"] {
                await Self.expectOAuthError(.invalidClient) { try await Self.authenticate(harness, id, Self.certificate(subjectDN: dn)) }
            }
            await Self.expectOAuthError(.invalidClient) { try await Self.authenticate(harness, id, Self.certificate(trusted: false)) }
            await Self.expectOAuthError(.invalidClient) { try await Self.authenticate(harness, id, nil) }
            // RFC 8705 §2: the client names itself with client_id.
            await Self.expectOAuthError(.invalidClient) {
                try await harness.server.clientAuthenticator.authenticate(
                    RequestPresentation(clientCertificate: Self.certificate()),
                    source: .unknown
                )
            }
        }
    }

    @Test("tls_client_auth with a SAN: DNS (any case), URI, email, and IP compared as an address (::1 = 0:0:0:0:0:0:0:1)")
    func subjectAlternativeNames() async throws {
        try await CoreHarness.with { harness in
            let names = PresentedCertificate.SubjectAlternativeNames(
                dnsNames: ["Client.Example.com"],
                uris: ["https://client.example.com/app"],
                ipAddresses: ["::1"],
                emailAddresses: ["ops@example.com"]
            )
            let cases: [(String, String, PresentedCertificate.SubjectAlternativeNames)] = [
                ("tls_client_auth_san_dns", "client.example.com", .init(dnsNames: ["other.example.com"])),
                ("tls_client_auth_san_uri", "https://client.example.com/app", .init(uris: ["https://client.example.com/other"])),
                ("tls_client_auth_san_ip", "0:0:0:0:0:0:0:1", .init(ipAddresses: ["127.0.0.1"])),
                ("tls_client_auth_san_email", "ops@example.com", .init(emailAddresses: ["dev@example.com"])),
            ]
            for (member, value, wrong) in cases {
                let created = try await harness.register(Self.request("tls_client_auth", members: [member: .string(value)]))
                let id = created.client.clientID
                let client = try await Self.authenticate(harness, id, Self.certificate(subjectDN: "CN=x", names: names))
                #expect(client.method == .tlsClientAuth, "\(member)")
                await Self.expectOAuthError(.invalidClient) {
                    try await Self.authenticate(harness, id, Self.certificate(subjectDN: "CN=client.example.com", names: wrong))
                }
                // A SAN in an untrusted certificate proves nothing (RFC 8705 §7.2).
                await Self.expectOAuthError(.invalidClient) {
                    try await Self.authenticate(harness, id, Self.certificate(names: names, trusted: false))
                }
            }
        }
    }

    @Test(
        "self_signed_tls_client_auth: a certificate whose key is in the client's jwks authenticates, chain or not; another key is invalid_client (F19)"
    )
    func selfSigned() async throws {
        try await CoreHarness.with { harness in
            let key = P256.Signing.PrivateKey().publicKey
            let created = try await harness.register(Self.request("self_signed_tls_client_auth", members: [:], jwks: ECPublicKeyJWKS.jwks(key)))
            let id = created.client.clientID
            let client = try await Self.authenticate(harness, id, Self.certificate(key: key, trusted: false))
            #expect(client.method == .selfSignedTLSClientAuth)
            await Self.expectOAuthError(.invalidClient) { try await Self.authenticate(harness, id, Self.certificate(trusted: false)) }
            await Self.expectOAuthError(.invalidClient) { try await Self.authenticate(harness, id, Self.certificate()) }
        }
    }

    @Test("registration: tls_client_auth needs exactly one tls_client_auth_* name, valid; the names only with it; self_signed needs keys")
    func registrationRules() async throws {
        try await CoreHarness.with { harness in
            await Self.expectRejected(harness, Self.request("tls_client_auth", members: [:]), naming: "tls_client_auth_subject_dn")
            await Self.expectRejected(
                harness,
                Self.request(
                    "tls_client_auth",
                    members: ["tls_client_auth_subject_dn": .string("CN=a"), "tls_client_auth_san_dns": .string("a.example.com")]
                ),
                naming: "tls_client_auth_san_dns"
            )
            await Self.expectRejected(
                harness,
                Self.request("tls_client_auth", members: ["tls_client_auth_san_ip": .string("::1::2")]),
                naming: "tls_client_auth_san_ip"
            )
            await Self.expectRejected(
                harness,
                Self.request("tls_client_auth", members: ["tls_client_auth_subject_dn": .string("no equals sign")]),
                naming: "tls_client_auth_subject_dn"
            )
            await Self.expectRejected(
                harness,
                Self.request("tls_client_auth", members: ["tls_client_auth_san_uri": .string("")]),
                naming: "tls_client_auth_san_uri"
            )
            await Self.expectRejected(
                harness,
                Self.request("client_secret_basic", members: ["tls_client_auth_san_email": .string("ops@example.com")]),
                naming: "tls_client_auth_san_email"
            )
            await Self.expectRejected(harness, Self.request("self_signed_tls_client_auth", members: [:]), naming: "jwks")
            // FAPI 2.0 §5.3.2.1: both mTLS methods are allowed for a FAPI client.
            let fapi = try await harness.register(
                Self.request("tls_client_auth", members: ["tls_client_auth_san_dns": .string("a.example.com")], fapiProfile: "fapi2")
            )
            #expect(fapi.client.authMethods == [.tlsClientAuth])
        }
    }

    @Test(
        "tls_client_certificate_bound_access_tokens: the token's cnf is the certificate's x5t#S256, token_type stays Bearer; without a certificate invalid_request",
        arguments: TestDatabase.all
    )
    func boundTokens(database: TestDatabase) async throws {
        try await CoreHarness.with(database) { harness in
            let created = try await harness.register(
                Self.request(
                    "tls_client_auth",
                    members: ["tls_client_auth_san_dns": .string("client.example.com"), "tls_client_certificate_bound_access_tokens": .bool(true)]
                )
            )
            let certificate = Self.certificate(names: .init(dnsNames: ["client.example.com"]))
            let client = try await Self.authenticate(harness, created.client.clientID, certificate)
            let presentation = RequestPresentation(clientCertificate: certificate)
            let tokens = try await harness.server.tokenEndpoint.exchange(
                TokenRequest(parameters: ["grant_type": "client_credentials"], presentation: presentation),
                client: client
            )
            #expect(tokens.tokenType == "Bearer")
            let record = try #require(try await harness.server.introspector.record(of: tokens.accessToken))
            #expect(record.attributes.confirmation == .x5tS256(certificate.thumbprint))
            await Self.expectOAuthError(.invalidRequest) { try await harness.token(["grant_type": "client_credentials"], as: client) }
        }
    }

    @Test("a FAPI client (fapi2, fapi1) presenting a certificate and no DPoP proof gets a bound token; a client that did not ask gets a bearer token")
    func fapiBinding() async throws {
        try await CoreHarness.with { harness in
            let certificate = Self.certificate(names: .init(dnsNames: ["client.example.com"]))
            let members: [String: JSONValue] = ["tls_client_auth_san_dns": .string("client.example.com")]
            for (profile, bound) in [("fapi2", true), ("fapi1", true), (nil, false)] as [(String?, Bool)] {
                let created = try await harness.register(Self.request("tls_client_auth", members: members, fapiProfile: profile))
                let client = try await Self.authenticate(harness, created.client.clientID, certificate)
                let tokens = try await harness.server.tokenEndpoint.exchange(
                    TokenRequest(parameters: ["grant_type": "client_credentials"], presentation: RequestPresentation(clientCertificate: certificate)),
                    client: client
                )
                let record = try #require(try await harness.server.introspector.record(of: tokens.accessToken))
                #expect(record.attributes.confirmation == (bound ? .x5tS256(certificate.thumbprint) : nil), "\(profile ?? "none")")
            }
            // With a DPoP proof the FAPI client's binding is DPoP's to give, not the certificate's.
            let created = try await harness.register(Self.request("tls_client_auth", members: members, fapiProfile: "fapi2"))
            let client = try await Self.authenticate(harness, created.client.clientID, certificate)
            let withProof = TokenRequest(
                parameters: ["grant_type": "client_credentials"],
                presentation: RequestPresentation(dpopProof: "a.dpop.proof", clientCertificate: certificate)
            )
            #expect(try await MutualTLSBinding().confirmation(for: withProof, client: client) == nil)
        }
    }

    @Test(
        "a bound user token is accepted at UserInfo only with its certificate; a refresh with the client's new certificate binds the new token to it (RFC 8705 §4)",
        arguments: TestDatabase.all
    )
    func userInfoAndRefresh(database: TestDatabase) async throws {
        try await CoreHarness.with(database) { harness in
            var request = ClientRegistrationRequest(
                name: "Web",
                redirectURIs: [Self.redirectURI],
                grantTypes: ["authorization_code", "refresh_token"],
                scopes: ["openid", "offline_access"]
            )
            request.metadataMembers = ["tls_client_certificate_bound_access_tokens": .bool(true)]
            let created = try await harness.register(request)
            let signedIn = try await harness.signIn()
            _ = try await harness.server.consents.grant(
                userID: signedIn.user.id,
                clientID: created.client.clientID,
                scopes: ["openid", "offline_access"]
            )
            let outcome = try await harness.authorize(
                [
                    "response_type": "code", "client_id": created.client.clientID, "redirect_uri": Self.redirectURI,
                    "scope": "openid offline_access", "code_challenge": Self.challenge, "code_challenge_method": "S256",
                ],
                session: signedIn
            )
            guard case .code(let code, _) = outcome else {
                Issue.record("expected a code, got \(outcome)")
                return
            }
            // The client authenticates with its secret; the certificate binds (RFC 8705 §3 is
            // independent of the authentication method).
            let client = try await harness.authenticate(created)
            let certificate = Self.certificate()
            let tokens = try await harness.server.tokenEndpoint.exchange(
                TokenRequest(
                    parameters: ["grant_type": "authorization_code", "code": code, "redirect_uri": Self.redirectURI, "code_verifier": Self.verifier],
                    presentation: RequestPresentation(clientCertificate: certificate)
                ),
                client: client
            )
            _ = try await harness.server.userInfo.userInfo(ResourceRequest(token: tokens.accessToken, certificate: certificate))
            for other in [nil, Self.certificate()] {
                await #expect(throws: AccessDenied.self) {
                    try await harness.server.userInfo.userInfo(ResourceRequest(token: tokens.accessToken, certificate: other))
                }
            }
            let refreshToken = try #require(tokens.refreshToken)
            let renewed = Self.certificate()
            let refreshed = try await harness.server.tokenEndpoint.exchange(
                TokenRequest(
                    parameters: ["grant_type": "refresh_token", "refresh_token": refreshToken],
                    presentation: RequestPresentation(clientCertificate: renewed)
                ),
                client: client
            )
            let record = try #require(try await harness.server.introspector.record(of: refreshed.accessToken))
            #expect(record.attributes.confirmation == .x5tS256(renewed.thumbprint))
            _ = try await harness.server.userInfo.userInfo(ResourceRequest(token: refreshed.accessToken, certificate: renewed))
        }
    }

    @Test("RFC 4514 names compare RDN by RDN: attribute types and values without case, multi-valued RDNs as sets; junk does not parse")
    func distinguishedNames() {
        #expect(DistinguishedName("CN=a+OU=b,O=c") == DistinguishedName("ou=B + cn=A, o=C"))
        #expect(DistinguishedName("CN=a\\,b,O=c") == DistinguishedName("CN=A\\2Cb,O=c"))
        #expect(DistinguishedName("CN=a,O=c") != DistinguishedName("O=c,CN=a"))
        #expect(DistinguishedName("CN=a,O=c") != DistinguishedName("CN=a,O=c,C=DE"))
        for junk in ["", "CN", "CN=a,", "=a", "CN=a\\"] { #expect(DistinguishedName(junk) == nil, "\(junk)") }
    }
}
