import Crypto
import CustosTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import CustosCore
@testable import CustosHTTP

/// Where a client certificate comes from (issue #12 item 2): the header a TLS-terminating
/// proxy sets (`CUSTOS_CLIENT_CERT_HEADER`) is believed only when the TCP peer is a trusted
/// proxy, reaches the request's presentation parsed (thumbprint, subject, SANs), and a
/// malformed one is 400 invalid_request. A request that presents a certificate is no public
/// client, which is how these tests see that the header arrived.
@Suite("Client certificates")
struct ClientCertificateTests {
    static let header = HTTPField.Name("X-SSL-Client-Cert")!

    @Test("the forwarded forms (URL-encoded PEM, PEM with spaces for line breaks, base64 DER) parse to the same certificate")
    func parserForms() throws {
        let certificate = try TestClientCertificate.make()
        let forms = [
            certificate.urlEncodedPEM, certificate.pem, certificate.pem.replacingOccurrences(of: "\n", with: " "),
            Data(certificate.der).base64EncodedString(),
        ]
        for form in forms {
            let parsed = try ClientCertificateParser.parse(.forwarded(form))
            #expect(parsed.der == certificate.der, "\(form.prefix(40))")
            #expect(parsed.thumbprint == Base64URL.encode(SHA256.hash(data: certificate.der)))
            #expect(parsed.subjectDN.contains("CN=client.example.com"), "\(parsed.subjectDN)")
            #expect(parsed.subjectAlternativeNames.dnsNames == ["client.example.com"])
            #expect(parsed.subjectAlternativeNames.uris == ["https://client.example.com/app"])
            #expect(parsed.subjectAlternativeNames.ipAddresses == ["10.0.0.7"])
            #expect(parsed.subjectAlternativeNames.emailAddresses == ["ops@example.com"])
        }
        #expect(try ClientCertificateParser.parse(.tlsSession(der: certificate.der)).der == certificate.der)
    }

    @Test("when the forwarded certificate is not a certificate then parsing fails")
    func parserRefusesGarbage() throws {
        let certificate = try TestClientCertificate.make()
        let truncated = ClientCertificateParser.pemBegin + "\nMIIB\n" + ClientCertificateParser.pemEnd
        for garbage in ["garbage!", "", "%zz", truncated, Data(certificate.der.dropLast(3)).base64EncodedString(), ClientCertificateParser.pemBegin] {
            #expect(throws: ClientCertificateParser.Malformed.self, "\(garbage)") { try ClientCertificateParser.parse(.forwarded(garbage)) }
        }
    }

    /// A live server (the peer is 127.0.0.1) reading `X-SSL-Client-Cert` from `trustedProxies`,
    /// with the public client `public-app`.
    static func live(trustedProxies: String, _ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        // A long request deadline: on a loaded machine the live client's one connection can sit
        // longer than the default 10 s between two requests, and the server would close it.
        var http = HTTPConfiguration(port: 0, requestTimeout: .seconds(600))
        http.trustedProxies = try AddressRange.list(trustedProxies)
        http.clientCertificateHeader = header
        let server = try await TestServer.make(.sqlite, http: http)
        let settings = try ClientMetadataValidator(scopes: ScopeRegistry()).validate(
            ClientRegistrationRequest(
                name: "Public",
                redirectURIs: ["https://app.example.com/cb"],
                grantTypes: ["authorization_code"],
                isConfidential: false,
                scopes: ["openid"]
            ),
            existing: nil
        )
        _ = try await server.server.clients.insert(settings, clientID: "public-app", secretValue: nil, action: "client.create", by: .system)
        let app = try await buildApplication(configuration: http, server: server.server, logger: server.logs.logger())
        try await app.test(.live) { client in try await body(client) }
        try await server.server.storage.close()
    }

    static func revoke(_ http: any TestClientProtocol, certificate: String?) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        if let certificate { headers[header] = certificate }
        return try await http.execute(
            uri: "/api/v1/oauth/revoke",
            method: .post,
            headers: headers,
            body: ByteBuffer(string: "token=unknown-token&client_id=public-app")
        )
    }

    @Test(
        "when a trusted proxy forwards a certificate then the request presents it: a public client_id with it is invalid_client, a malformed one invalid_request"
    )
    func trustedProxy() async throws {
        let certificate = try TestClientCertificate.make()
        try await Self.live(trustedProxies: "127.0.0.1") { http in
            let plain = try await Self.revoke(http, certificate: nil)
            #expect(plain.status == .ok, "\(plain.status) \(plain.text)")
            let presented = try await Self.revoke(http, certificate: certificate.urlEncodedPEM)
            #expect(presented.status == .unauthorized, "\(presented.status) \(presented.text)")
            #expect(OAuthEndpointKit.error(presented) == "invalid_client")
            let malformed = try await Self.revoke(http, certificate: "not-a-certificate")
            #expect(malformed.status == .badRequest, "\(malformed.status) \(malformed.text)")
            #expect(OAuthEndpointKit.error(malformed) == "invalid_request")
        }
    }

    @Test("when the peer is not a trusted proxy then the certificate header is ignored, well-formed or not")
    func untrustedPeer() async throws {
        let certificate = try TestClientCertificate.make()
        try await Self.live(trustedProxies: "10.0.0.0/8") { http in
            for value in [certificate.urlEncodedPEM, "not-a-certificate"] {
                let response = try await Self.revoke(http, certificate: value)
                #expect(response.status == .ok, "\(response.status) \(response.text)")
            }
        }
    }
}
