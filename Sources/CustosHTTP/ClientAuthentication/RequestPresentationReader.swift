import CustosCore
import Foundation
import HTTPTypes
import Hummingbird

/// Reads what a request presents besides its form (`RequestPresentation`): the client
/// credentials of `Authorization: Basic` (RFC 6749 §2.3.1, id and secret form-URL-decoded
/// after base64) and of the body (`client_id`, `client_secret`, `client_assertion`,
/// `client_assertion_type`), the `DPoP` header, the client certificate, and the `htm`/`htu`
/// a DPoP proof must match.
struct RequestPresentationReader: Sendable {
    static let dpop = HTTPField.Name("DPoP")!
    /// The issuer URL: `htu` is built from it and the request path, never from the Host
    /// header, which the client controls (RFC 9449 §4.3, §11.4 on proxies).
    let configuration: ServerConfiguration
    /// The CAs of `tls_client_auth` (`CUSTOS_TLS_CLIENT_CA_FILE`); nil: no certificate chains.
    var authorities: ClientCertificateAuthorities? = nil

    /// - Parameter certificate: the context's `clientCertificate` (TLS session or trusted proxy).
    func read(_ request: Request, certificate: ReceivedClientCertificate?, parameters: [String: String]) async throws -> RequestPresentation {
        var presentation = RequestPresentation(
            credentials: try Self.credentials(request, parameters: parameters),
            dpopProof: try Self.dpopProof(request),
            htm: request.method.rawValue,
            // The path without query and fragment (RFC 9449 §4.3 item 9).
            htu: configuration.endpoint(request.uri.path)
        )
        if let received = certificate {
            do {
                presentation.clientCertificate = try await ClientCertificateParser.parse(received, authorities: authorities)
            } catch {
                throw OAuthError.invalidRequest("the client certificate is malformed")
            }
        }
        return presentation
    }

    /// The one `DPoP` header (RFC 9449 §4.3 item 1: a request with several is refused).
    static func dpopProof(_ request: Request) throws -> String? {
        let values = request.headers[values: dpop]
        guard values.count <= 1 else { throw OAuthError.invalidDPoPProof("send exactly one DPoP header") }
        return values.first
    }

    static func credentials(_ request: Request, parameters: [String: String]) throws -> PresentedClientCredentials {
        var presented = PresentedClientCredentials(
            bodyClientID: parameters["client_id"],
            bodySecret: parameters["client_secret"],
            assertion: parameters["client_assertion"],
            assertionType: parameters["client_assertion_type"]
        )
        if let header = request.headers[.authorization] {
            let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
            guard parts.count == 2, parts[0].lowercased() == "basic" else {
                throw OAuthError.invalidClient("unsupported Authorization scheme at this endpoint")
            }
            guard let decoded = Data(base64Encoded: String(parts[1])).flatMap({ String(data: $0, encoding: .utf8) }),
                let colon = decoded.firstIndex(of: ":"),
                let id = FormParameters.decode(decoded[..<colon]),
                let secret = FormParameters.decode(decoded[decoded.index(after: colon)...]),
                !id.isEmpty
            else { throw OAuthError.invalidClient("malformed Basic credentials") }
            presented.basic = BasicCredentials(id: id, secret: secret)
        }
        return presented
    }
}
