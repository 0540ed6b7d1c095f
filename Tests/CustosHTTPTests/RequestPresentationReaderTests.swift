import CustosCore
import CustosTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Testing

@testable import CustosHTTP

/// What `RequestPresentationReader` hands the core: the credentials, the raw DPoP proof, and
/// `htm`/`htu` built from the configured issuer and the path, never from the Host header and
/// without the query (RFC 9449 §4.3).
@Suite("Request presentation reader")
struct RequestPresentationReaderTests {
    static let reader = RequestPresentationReader(configuration: ServerConfiguration(issuer: "https://id.example.com"))

    static func request(path: String, headers: HTTPFields) -> Request {
        Request(
            head: HTTPRequest(method: .post, scheme: "http", authority: "attacker.example:8080", path: path, headerFields: headers),
            body: RequestBody(buffer: ByteBuffer())
        )
    }

    @Test("htu is the issuer's origin with the request path, without the query; the Host (authority) is not used")
    func targetURL() async throws {
        let request = Self.request(
            path: "/api/v1/oauth/token?x=1#f",
            headers: [RequestPresentationReader.dpop: "proof.jwt.value"]
        )
        let presentation = try await Self.reader.read(request, certificate: nil, parameters: ["client_id": "app"])
        #expect(presentation.htm == "POST")
        #expect(presentation.htu == "https://id.example.com/api/v1/oauth/token")
        #expect(presentation.dpopProof == "proof.jwt.value")
        #expect(presentation.credentials == PresentedClientCredentials(bodyClientID: "app"))
        #expect(presentation.clientCertificate == nil)
    }

    @Test("Basic credentials are form-URL-decoded and compared as a value")
    func basic() async throws {
        let header = "Basic " + Data("my%20app:s%3Acret".utf8).base64EncodedString()
        let presentation = try await Self.reader.read(
            Self.request(path: "/api/v1/oauth/token", headers: [.authorization: header]),
            certificate: nil,
            parameters: [:]
        )
        #expect(presentation.credentials.basic == BasicCredentials(id: "my app", secret: "s:cret"))
        #expect(presentation.credentials != PresentedClientCredentials(basic: BasicCredentials(id: "my app", secret: "other")))
    }

    @Test("a received certificate is parsed into the presentation; a malformed one is 400 invalid_request")
    func certificate() async throws {
        let certificate = try TestClientCertificate.make()
        let request = Self.request(path: "/api/v1/oauth/token", headers: [:])
        let presentation = try await Self.reader.read(request, certificate: .forwarded(certificate.urlEncodedPEM), parameters: [:])
        #expect(presentation.clientCertificate?.der == certificate.der)
        #expect(presentation.clientCertificate?.thumbprint == PresentedCertificate.thumbprint(of: certificate.der))
        await #expect(throws: OAuthError.invalidRequest("the client certificate is malformed")) {
            try await Self.reader.read(request, certificate: .forwarded("garbage"), parameters: [:])
        }
    }
}
