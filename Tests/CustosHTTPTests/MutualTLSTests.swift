import AsyncHTTPClient
import Crypto
import CustosTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOHTTP1
import NIOSSL
import SwiftASN1
import Testing
import X509

@testable import CustosCore
@testable import CustosHTTP

/// RFC 8705 over HTTP with real certificates (swift-certificates): chain validation against
/// `CUSTOS_TLS_CLIENT_CA_FILE`, `tls_client_auth` and `self_signed_tls_client_auth` at the
/// token endpoint (F17, F19), certificate-bound tokens in introspection and at UserInfo, through
/// a trusted proxy's header and over the HTTPS listener itself (TLS versions and suites, I11).
@Suite("Mutual TLS over HTTP (RFC 8705)")
struct MutualTLSTests {
    static let header = HTTPField.Name("X-SSL-Client-Cert")!
    static let redirectURI = "https://app.example.com/cb"

    @Test("a leaf of the configured CA chains; one of another CA, an expired one or a self-signed one does not; the SPKI is the key's")
    func chainValidation() async throws {
        let pki = try TestPKI.make()
        let authorities = try ClientCertificateAuthorities(pemBundle: pki.pem)
        let good = try pki.issue()
        let parsed = try await ClientCertificateParser.parse(.tlsSession(der: good.der), authorities: authorities)
        #expect(parsed.chainsToTrustedCA)
        #expect(parsed.publicKeySPKI == Array(good.key.publicKey.derRepresentation))
        #expect(parsed.subjectDN == "CN=client.example.com,O=Example Client")
        let forwarded = try await ClientCertificateParser.parse(.forwarded(good.urlEncodedPEM), authorities: authorities)
        #expect(forwarded.chainsToTrustedCA)
        let expired = try pki.issue(notValidBefore: Date().addingTimeInterval(-7_200), notValidAfter: Date().addingTimeInterval(-3_600))
        let others = [try TestPKI.make("Other CA").issue(), expired, try TestPKI.selfSigned()]
        for other in others {
            let parsed = try await ClientCertificateParser.parse(.tlsSession(der: other.der), authorities: authorities)
            #expect(!parsed.chainsToTrustedCA, "\(other.certificate.subject)")
        }
        // Without a CA file nothing chains.
        #expect(!(try await ClientCertificateParser.parse(.tlsSession(der: good.der), authorities: nil)).chainsToTrustedCA)
        #expect(throws: ClientCertificateAuthorities.Unreadable.self) { try ClientCertificateAuthorities(pemBundle: "no PEM here") }
    }

    @Test("an intermediate the client sends after its leaf completes the chain to the configured root")
    func intermediateFromTheClient() async throws {
        let root = try TestPKI.make("Root")
        let intermediateKey = P256.Signing.PrivateKey()
        let intermediateName = try DistinguishedName { CommonName("Intermediate") }
        let intermediate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: Certificate.PublicKey(intermediateKey.publicKey),
            notValidBefore: Date().addingTimeInterval(-60),
            notValidAfter: Date().addingTimeInterval(3_600),
            issuer: root.name,
            subject: intermediateName,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true))
            },
            issuerPrivateKey: Certificate.PrivateKey(root.key)
        )
        let issuing = TestPKI(key: intermediateKey, certificate: intermediate, name: intermediateName)
        let leaf = try issuing.issue()
        let authorities = try ClientCertificateAuthorities(pemBundle: root.pem)
        let alone = try await ClientCertificateParser.parse(.tlsSession(der: leaf.der), authorities: authorities)
        #expect(!alone.chainsToTrustedCA)
        let chained = try await ClientCertificateParser.parse(
            .tlsSession(der: leaf.der, chain: [try TestPKI.der(intermediate)]),
            authorities: authorities
        )
        #expect(chained.chainsToTrustedCA)
    }

    /// Registers a client through the admin use case (every validator rule).
    static func register(
        _ server: TestServer,
        method: String,
        members: [String: JSONValue],
        jwks: String? = nil,
        grantTypes: [String] = ["client_credentials"]
    ) async throws -> CreatedClient {
        var request = ClientRegistrationRequest(
            name: "mTLS",
            redirectURIs: [redirectURI],
            clientAuthMethods: [method],
            grantTypes: grantTypes,
            scopes: ["openid"]
        )
        request.jwks = jwks
        request.metadataMembers = members
        return try await server.server.clients.create(request, by: .system)
    }

    static func form(_ http: any TestClientProtocol, _ path: String, _ body: String, certificate: String?) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        if let certificate { headers[header] = certificate }
        return try await http.execute(uri: "/api/v1" + path, method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    @Test(
        "through a trusted proxy: tls_client_auth gets a token bound to its certificate (introspection cnf x5t#S256); another DN, another CA, an expired certificate or none is 401 invalid_client (F17)"
    )
    func trustedProxyTokenEndpoint() async throws {
        let pki = try TestPKI.make()
        // The live client keeps one connection; on a loaded machine the time between two
        // requests can exceed the default 10 s request deadline, which would close it.
        var http = HTTPConfiguration(port: 0, requestTimeout: .seconds(600))
        http.trustedProxies = try AddressRange.list("127.0.0.1")
        http.clientCertificateHeader = Self.header
        http.clientCertificateAuthorities = try ClientCertificateAuthorities(pemBundle: pki.pem)
        let server = try await TestServer.make(.sqlite, http: http)
        let created = try await Self.register(
            server,
            method: "tls_client_auth",
            members: [
                "tls_client_auth_subject_dn": .string("CN=client.example.com,O=Example Client"),
                "tls_client_certificate_bound_access_tokens": .bool(true),
            ]
        )
        let id = created.client.clientID
        let good = try pki.issue()
        let wrongDN = try pki.issue(commonName: "other.example.com")
        let otherCA = try TestPKI.make("Other CA").issue()
        let expired = try pki.issue(notValidBefore: Date().addingTimeInterval(-7_200), notValidAfter: Date().addingTimeInterval(-3_600))
        let app = try await buildApplication(configuration: http, server: server.server, logger: server.logs.logger())
        try await app.test(.live) { client in
            let body = "grant_type=client_credentials&client_id=\(id)"
            let response = try await Self.form(client, "/oauth/token", body, certificate: good.urlEncodedPEM)
            #expect(response.status == .ok, "\(response.text)")
            #expect(response.string("token_type") == "Bearer")
            let token = try #require(response.string("access_token"))
            let introspection = try await Self.form(client, "/oauth/introspect", "token=\(token)&client_id=\(id)", certificate: good.urlEncodedPEM)
            let cnf = try #require(try introspection.json()["cnf"] as? [String: Any], "\(introspection.text)")
            #expect(cnf["x5t#S256"] as? String == PresentedCertificate.thumbprint(of: good.der))

            for certificate in [wrongDN.urlEncodedPEM, otherCA.urlEncodedPEM, expired.urlEncodedPEM, nil] {
                let refused = try await Self.form(client, "/oauth/token", body, certificate: certificate)
                #expect(refused.status == .unauthorized, "\(refused.text)")
                #expect(OAuthEndpointKit.error(refused) == "invalid_client")
            }
            let discovery = try await client.execute(uri: "/.well-known/openid-configuration", method: .get, headers: [:], body: nil).json()
            #expect(discovery["tls_client_certificate_bound_access_tokens"] as? Bool == true)
            let aliases = try #require(discovery["mtls_endpoint_aliases"] as? [String: String])
            #expect(aliases["token_endpoint"] == "http://custos.test/api/v1/oauth/token")
            #expect(aliases["pushed_authorization_request_endpoint"] == "http://custos.test/api/v1/oauth/pushed-authorization")
            #expect(aliases["userinfo_endpoint"] == "http://custos.test/api/v1/oauth/userinfo")
        }
        try await server.server.storage.close()
    }

    @Test(
        "self_signed_tls_client_auth through a trusted proxy: the registered key authenticates, a certificate with another key is 401 invalid_client (F19)"
    )
    func trustedProxySelfSigned() async throws {
        // The live client keeps one connection; on a loaded machine the time between two
        // requests can exceed the default 10 s request deadline, which would close it.
        var http = HTTPConfiguration(port: 0, requestTimeout: .seconds(600))
        http.trustedProxies = try AddressRange.list("127.0.0.1")
        http.clientCertificateHeader = Self.header
        let server = try await TestServer.make(.sqlite, http: http)
        let mine = try TestPKI.selfSigned()
        let stranger = try TestPKI.selfSigned()
        let created = try await Self.register(
            server,
            method: "self_signed_tls_client_auth",
            members: [:],
            jwks: ECPublicKeyJWKS.jwks(mine.key.publicKey)
        )
        let body = "grant_type=client_credentials&client_id=\(created.client.clientID)"
        let app = try await buildApplication(configuration: http, server: server.server, logger: server.logs.logger())
        try await app.test(.live) { client in
            let response = try await Self.form(client, "/oauth/token", body, certificate: mine.urlEncodedPEM)
            #expect(response.status == .ok, "\(response.text)")
            let refused = try await Self.form(client, "/oauth/token", body, certificate: stranger.urlEncodedPEM)
            #expect(refused.status == .unauthorized, "\(refused.text)")
            #expect(OAuthEndpointKit.error(refused) == "invalid_client")
        }
        try await server.server.storage.close()
    }

    @Test("CUSTOS_MTLS_BASE_URL puts the mTLS aliases on the other host; a plain listener without certificates announces none")
    func discoveryAliases() async throws {
        var http = HTTPConfiguration()
        http.mutualTLSBaseURL = "https://mtls.custos.test/"
        let server = try await TestServer.make(.sqlite)
        let router = try await buildRouter(configuration: http, server: server.server)
        let plain = try await buildRouter(configuration: HTTPConfiguration(), server: server.server)
        try await Application(router: router).test(.router) { client in
            let document = try await client.execute(uri: "/.well-known/openid-configuration", method: .get, headers: [:], body: nil).json()
            let aliases = try #require(document["mtls_endpoint_aliases"] as? [String: String])
            #expect(aliases["token_endpoint"] == "https://mtls.custos.test/api/v1/oauth/token")
            #expect(aliases["introspection_endpoint"] == "https://mtls.custos.test/api/v1/oauth/introspect")
            #expect(aliases["revocation_endpoint"] == "https://mtls.custos.test/api/v1/oauth/revoke")
        }
        try await Application(router: plain).test(.router) { client in
            let document = try await client.execute(uri: "/.well-known/openid-configuration", method: .get, headers: [:], body: nil).json()
            #expect(document["mtls_endpoint_aliases"] == nil)
        }
        try await server.server.storage.close()
    }

    // MARK: The HTTPS listener

    /// A live server on the HTTPS listener (its certificate issued by `pki` for 127.0.0.1),
    /// trusting `pki` for client certificates; `body` gets the port.
    static func withTLSListener(
        _ pki: TestPKI,
        _ body: @Sendable (TestServer, Int) async throws -> Void
    ) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("custos-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let serverCertificate = try pki.issue(
            commonName: "localhost",
            names: [.dnsName("localhost"), .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1]))]
        )
        let certificateFile = directory.appendingPathComponent("server.pem").path
        let keyFile = directory.appendingPathComponent("server.key").path
        try Data((serverCertificate.pem + "\n" + pki.pem + "\n").utf8).write(to: URL(fileURLWithPath: certificateFile))
        try Data(serverCertificate.keyPEM.utf8).write(to: URL(fileURLWithPath: keyFile))
        // The live client keeps one connection; on a loaded machine the time between two
        // requests can exceed the default 10 s request deadline, which would close it.
        var http = HTTPConfiguration(port: 0, requestTimeout: .seconds(600))
        http.tls = try TLSListenerConfiguration(certificateFile: certificateFile, keyFile: keyFile)
        http.clientCertificateAuthorities = try ClientCertificateAuthorities(pemBundle: pki.pem)
        let server = try await TestServer.make(.sqlite, http: http)
        let app = try await buildApplication(configuration: http, server: server.server, logger: server.logs.logger())
        try await app.test(.live) { client in
            let port = try #require(client.port)
            try await body(server, port)
        }
        try await server.server.storage.close()
    }

    /// An HTTPS client trusting `pki`, presenting `certificate` when given.
    static func httpsClient(
        trusting pki: TestPKI,
        certificate: TestPKI.Issued?,
        configure: (inout TLSConfiguration) -> Void = { _ in }
    ) throws -> HTTPClient {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates([try NIOSSLCertificate(bytes: Array(pki.pem.utf8), format: .pem)])
        if let certificate {
            tls.certificateChain = [.certificate(try NIOSSLCertificate(bytes: certificate.der, format: .der))]
            tls.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: Array(certificate.keyPEM.utf8), format: .pem))
        }
        configure(&tls)
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: HTTPClient.Configuration(tlsConfiguration: tls))
    }

    static func send(
        _ client: HTTPClient,
        port: Int,
        _ path: String,
        form: String? = nil,
        bearer: String? = nil
    ) async throws -> (status: Int, json: [String: Any], headers: [String: String]) {
        var request = HTTPClientRequest(url: "https://127.0.0.1:\(port)/api/v1\(path)")
        if let form {
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: form))
        }
        if let bearer { request.headers.add(name: "Authorization", value: "Bearer \(bearer)") }
        let response = try await client.execute(request, timeout: .seconds(60))
        let body = try await response.body.collect(upTo: 1 << 20)
        let bytes = body.getBytes(at: body.readerIndex, length: body.readableBytes) ?? []
        let json = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any] ?? [:]
        var headers: [String: String] = [:]
        for field in response.headers { headers[field.name.lowercased()] = field.value }
        return (Int(response.status.code), json, headers)
    }

    @Test(
        "over the HTTPS listener: the client's certificate from the TLS session authenticates tls_client_auth and binds the token, which UserInfo accepts only over a connection with that certificate"
    )
    func httpsListener() async throws {
        let pki = try TestPKI.make()
        let leaf = try pki.issue(names: [.dnsName("client.example.com")])
        try await Self.withTLSListener(pki) { server, port in
            let created = try await Self.register(
                server,
                method: "tls_client_auth",
                members: ["tls_client_auth_san_dns": .string("client.example.com"), "tls_client_certificate_bound_access_tokens": .bool(true)],
                grantTypes: ["client_credentials", "authorization_code"]
            )
            let id = created.client.clientID
            let otherCertificate = try pki.issue(names: [.dnsName("other.example.com")])
            let withCertificate = try Self.httpsClient(trusting: pki, certificate: leaf)
            let without = try Self.httpsClient(trusting: pki, certificate: nil)
            let otherClient = try Self.httpsClient(trusting: pki, certificate: otherCertificate)
            // Every client is shut down however the test ends: AsyncHTTPClient traps when one is
            // deinitialised running, which would take the whole test process down.
            let clients = [withCertificate, without, otherClient]
            do {
                try await Self.exerciseListener(server, port: port, id: id, clients: (withCertificate, without, otherClient), leaf: leaf)
            } catch {
                for client in clients { try? await client.shutdown() }
                throw error
            }
            for client in clients { try await client.shutdown() }
        }
    }

    /// The body of `httpsListener`: the token over TLS, introspection, refusals, then a user's
    /// bound token at UserInfo with and without the certificate.
    static func exerciseListener(
        _ server: TestServer,
        port: Int,
        id: String,
        clients: (withCertificate: HTTPClient, without: HTTPClient, otherClient: HTTPClient),
        leaf: TestPKI.Issued
    ) async throws {
        let (withCertificate, without, otherClient) = clients
        let token = try await Self.send(withCertificate, port: port, "/oauth/token", form: "grant_type=client_credentials&client_id=\(id)")
        #expect(token.status == 200, "\(token.json)")
        let accessToken = try #require(token.json["access_token"] as? String)
        let introspection = try await Self.send(withCertificate, port: port, "/oauth/introspect", form: "token=\(accessToken)&client_id=\(id)")
        #expect((introspection.json["cnf"] as? [String: Any])?["x5t#S256"] as? String == PresentedCertificate.thumbprint(of: leaf.der))
        // No certificate, or another client's name: invalid_client (F17).
        for client in [without, otherClient] {
            let refused = try await Self.send(client, port: port, "/oauth/token", form: "grant_type=client_credentials&client_id=\(id)")
            #expect(refused.status == 401 && refused.json["error"] as? String == "invalid_client", "\(refused.json)")
        }

        // A user's token bound to the certificate (the code flow in the core, as the token
        // endpoint would run it for this connection), then UserInfo over TLS.
        let user = try await server.makeUser("alice")
        let (session, _) = try await server.server.sessions.start(for: user, amr: ["pwd"])
        _ = try await server.server.consents.grant(userID: user.id, clientID: id, scopes: ["openid"])
        let outcome = try await server.server.authorizationEndpoint.authorize(
            AuthorizationRequest(parameters: [
                "response_type": "code", "client_id": id, "redirect_uri": Self.redirectURI, "scope": "openid",
                "code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", "code_challenge_method": "S256",
            ]),
            session: (session, user)
        )
        guard case .code(let code, _) = outcome else {
            Issue.record("expected a code, got \(outcome)")
            return
        }
        let exchanged = try await Self.send(
            withCertificate,
            port: port,
            "/oauth/token",
            form: "grant_type=authorization_code&client_id=\(id)&code=\(code)&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb"
                + "&code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
        )
        let userToken = try #require(exchanged.json["access_token"] as? String, "\(exchanged.json)")
        let accepted = try await Self.send(withCertificate, port: port, "/oauth/userinfo", bearer: userToken)
        #expect(accepted.status == 200, "\(accepted.json)")
        #expect(accepted.json["sub"] != nil)
        for client in [without, otherClient] {
            let refused = try await Self.send(client, port: port, "/oauth/userinfo", bearer: userToken)
            #expect(refused.status == 401, "\(refused.json)")
            #expect(refused.headers["www-authenticate"]?.contains("invalid_token") == true, "\(refused.headers)")
        }
    }

    @Test("the HTTPS listener refuses TLS 1.1 and TLS 1.2 suites outside FAPI 2.0 §5.2.2 (CBC), and accepts TLS 1.2 with ECDHE-GCM and TLS 1.3 (I11)")
    func tlsVersionsAndSuites() async throws {
        let pki = try TestPKI.make()
        try await Self.withTLSListener(pki) { _, port in
            func handshakes(_ configure: (inout TLSConfiguration) -> Void) async throws -> Bool {
                let client = try Self.httpsClient(trusting: pki, certificate: nil, configure: configure)
                var request = HTTPClientRequest(url: "https://127.0.0.1:\(port)/health")
                request.method = .GET
                let succeeded: Bool
                do {
                    let response = try await client.execute(request, timeout: .seconds(10))
                    succeeded = response.status == .ok
                } catch {
                    succeeded = false
                }
                try await client.shutdown()
                return succeeded
            }
            let tls11 = try await handshakes {
                $0.minimumTLSVersion = .tlsv1
                $0.maximumTLSVersion = .tlsv11
            }
            #expect(!tls11)
            let cbc = try await handshakes {
                $0.maximumTLSVersion = .tlsv12
                $0.cipherSuiteValues = [.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA, .TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA]
            }
            #expect(!cbc)
            let gcm = try await handshakes {
                $0.maximumTLSVersion = .tlsv12
                $0.cipherSuiteValues = [.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256]
            }
            #expect(gcm)
            let tls13 = try await handshakes { $0.minimumTLSVersion = .tlsv13 }
            #expect(tls13)
        }
    }

    @Test("a missing or malformed TLS file is an error naming it")
    func unreadableFiles() throws {
        #expect {
            try TLSListenerConfiguration(certificateFile: "/nonexistent/cert.pem", keyFile: "/nonexistent/key.pem")
        } throws: { error in
            (error as? TLSListenerConfiguration.Unreadable)?.description.contains("CUSTOS_TLS_CERT_FILE /nonexistent/cert.pem") == true
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("custos-not-pem-\(UUID().uuidString)").path
        try Data("not pem".utf8).write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        #expect {
            try TLSListenerConfiguration(certificateFile: file, keyFile: file)
        } throws: { error in
            (error as? TLSListenerConfiguration.Unreadable)?.description.contains("CUSTOS_TLS_CERT_FILE \(file)") == true
        }
    }
}
