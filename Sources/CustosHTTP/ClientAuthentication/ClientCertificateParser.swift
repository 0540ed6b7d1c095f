import CustosCore
import Foundation
import NIOCore
import SwiftASN1
import X509

/// Parses a client certificate with swift-certificates into the plain values the core reads.
///
/// A proxy forwards the certificate as text: nginx's `$ssl_client_escaped_cert` is URL-encoded
/// PEM, Apache's `SSLCLIENTCERT` (mod_ssl `%{SSL_CLIENT_CERT}s`) is PEM whose line breaks a
/// header cannot carry (they arrive as spaces), and some proxies send base64 DER. All three
/// reduce to base64 between the optional PEM markers.
enum ClientCertificateParser {
    struct Malformed: Error {}

    static let pemBegin = "-----BEGIN CERTIFICATE-----"
    static let pemEnd = "-----END CERTIFICATE-----"

    static func parse(_ received: ReceivedClientCertificate) throws(Malformed) -> PresentedCertificate {
        switch received {
        case .tlsSession(let der, _): return try parse(der: der)
        case .forwarded(let text): return try parse(der: der(fromForwarded: text))
        }
    }

    /// Parses the certificate and decides whether it chains to `authorities` (through the
    /// intermediates the TLS client sent; a proxy forwards the leaf only).
    static func parse(
        _ received: ReceivedClientCertificate,
        authorities: ClientCertificateAuthorities?
    ) async throws(Malformed) -> PresentedCertificate {
        let leafDER: [UInt8]
        var chainDER: [[UInt8]] = []
        switch received {
        case .tlsSession(let der, let chain):
            leafDER = der
            chainDER = chain
        case .forwarded(let text): leafDER = try der(fromForwarded: text)
        }
        let (certificate, _) = try decode(leafDER)
        guard let authorities else { return try parse(der: leafDER) }
        // An intermediate that does not parse is left out; the chain may still build without it.
        let intermediates = chainDER.compactMap { try? Certificate(derEncoded: $0) }.filter { $0 != certificate }
        let trusted = await authorities.validates(certificate, intermediates: intermediates)
        return try parse(der: leafDER, chainsToTrustedCA: trusted)
    }

    /// The SubjectPublicKeyInfo, DER (`Certificate.PublicKey.subjectPublicKeyInfoBytes` is only
    /// the BIT STRING's contents, without the algorithm).
    private static func spki(of certificate: Certificate) throws(Malformed) -> [UInt8] {
        var serializer = DER.Serializer()
        do { try serializer.serialize(certificate.publicKey) } catch { throw Malformed() }
        return serializer.serializedBytes
    }

    private static func decode(_ der: [UInt8]) throws(Malformed) -> (Certificate, SubjectAlternativeNames?) {
        do {
            let certificate = try Certificate(derEncoded: der)
            return (certificate, try certificate.extensions.subjectAlternativeNames)
        } catch {
            throw Malformed()
        }
    }

    static func der(fromForwarded text: String) throws(Malformed) -> [UInt8] {
        guard var body = text.removingPercentEncoding else { throw Malformed() }
        if let begin = body.range(of: pemBegin) {
            guard let end = body.range(of: pemEnd, range: begin.upperBound..<body.endIndex) else { throw Malformed() }
            body = String(body[begin.upperBound..<end.lowerBound])
        }
        let base64 = body.filter { !$0.isWhitespace }
        guard !base64.isEmpty, let der = Data(base64Encoded: base64) else { throw Malformed() }
        return Array(der)
    }

    static func parse(der: [UInt8], chainsToTrustedCA: Bool = false) throws(Malformed) -> PresentedCertificate {
        let (certificate, alternativeNames) = try decode(der)
        var names = PresentedCertificate.SubjectAlternativeNames()
        for name in alternativeNames.map(Array.init) ?? [] {
            switch name {
            case .dnsName(let value): names.dnsNames.append(value)
            case .uniformResourceIdentifier(let value): names.uris.append(value)
            case .rfc822Name(let value): names.emailAddresses.append(value)
            case .ipAddress(let octets):
                // RFC 5280 §4.2.1.6: 4 octets for IPv4, 16 for IPv6; the text form NIO prints.
                guard let address = try? SocketAddress(packedIPAddress: ByteBuffer(bytes: octets.bytes), port: 0),
                    let text = address.ipAddress
                else { throw Malformed() }
                names.ipAddresses.append(text)
            default: continue
            }
        }
        return PresentedCertificate(
            der: der,
            subjectDN: String(describing: certificate.subject),
            subjectAlternativeNames: names,
            publicKeySPKI: try spki(of: certificate),
            chainsToTrustedCA: chainsToTrustedCA
        )
    }
}
