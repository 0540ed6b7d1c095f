import Foundation
import SwiftASN1
import X509

/// The certificate authorities whose client certificates count for `tls_client_auth`
/// (`CUSTOS_TLS_CLIENT_CA_FILE`, a PEM bundle). A certificate chains to them when
/// swift-certificates' `Verifier` builds a path from it (through the intermediates the client
/// sent) to one of them under the RFC 5280 policy, validity checked at the current time
/// (RFC 8705 §2.1: "the certificate chain is validated ... in accordance with RFC 5280").
/// Certificates from the TLS session and from a trusted proxy's header are checked alike.
public struct ClientCertificateAuthorities: Sendable {
    public struct Unreadable: Error, CustomStringConvertible {
        public let description: String
    }

    let roots: [Certificate]

    public init(roots: [Certificate]) {
        self.roots = roots
    }

    /// Every certificate of a PEM bundle; a bundle without one, or with a block that does not
    /// parse, is refused (a CA file that silently trusts nothing would look configured).
    public init(pemBundle: String) throws(Unreadable) {
        let certificates: [Certificate]
        do {
            certificates = try PEMDocument.parseMultiple(pemString: pemBundle).map { try Certificate(pemDocument: $0) }
        } catch {
            throw Unreadable(description: "not a PEM bundle of certificates (\(error))")
        }
        guard !certificates.isEmpty else { throw Unreadable(description: "holds no certificate") }
        self.init(roots: certificates)
    }

    /// Whether `leaf` chains to one of the roots, through `intermediates` if needed.
    func validates(_ leaf: Certificate, intermediates: [Certificate]) async -> Bool {
        var verifier = Verifier(rootCertificates: CertificateStore(roots)) { RFC5280Policy() }
        switch await verifier.validate(leaf: leaf, intermediates: CertificateStore(intermediates)) {
        case .validCertificate: return true
        case .couldNotValidate: return false
        }
    }
}
