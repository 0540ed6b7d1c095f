import Crypto
import Foundation
import SwiftASN1
import X509

/// A small certificate authority made in the test with swift-certificates, and certificates it
/// issues (client leaves for `tls_client_auth`, the HTTPS listener's own certificate).
struct TestPKI {
    let key: P256.Signing.PrivateKey
    let certificate: Certificate
    let name: DistinguishedName

    /// One issued certificate with its key, as DER and PEM.
    struct Issued {
        let key: P256.Signing.PrivateKey
        let certificate: Certificate
        let der: [UInt8]
        var pem: String { (try? certificate.serializeAsPEM().pemString) ?? "" }
        var keyPEM: String { key.pemRepresentation }
        /// As nginx's `$ssl_client_escaped_cert` sends it.
        var urlEncodedPEM: String { pem.addingPercentEncoding(withAllowedCharacters: .alphanumerics)! }
    }

    static func make(_ commonName: String = "Custos Test CA") throws -> TestPKI {
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName {
            CommonName(commonName)
            OrganizationName("Custos Tests")
        }
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: Certificate.PublicKey(key.publicKey),
            notValidBefore: Date().addingTimeInterval(-3_600),
            notValidAfter: Date().addingTimeInterval(86_400),
            issuer: name,
            subject: name,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                Critical(KeyUsage(keyCertSign: true))
            },
            issuerPrivateKey: Certificate.PrivateKey(key)
        )
        return TestPKI(key: key, certificate: certificate, name: name)
    }

    var pem: String { (try? certificate.serializeAsPEM().pemString) ?? "" }

    /// A leaf signed by this CA: subject `CN=<commonName>,O=Example Client` (RFC 4514), the given SANs.
    func issue(
        commonName: String = "client.example.com",
        names: [GeneralName] = [],
        notValidBefore: Date = Date().addingTimeInterval(-60),
        notValidAfter: Date = Date().addingTimeInterval(3_600)
    ) throws -> Issued {
        let leafKey = P256.Signing.PrivateKey()
        // Most significant first, so that the RFC 4514 form is `CN=…,O=Example Client`.
        let subject = try DistinguishedName {
            OrganizationName("Example Client")
            CommonName(commonName)
        }
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: Certificate.PublicKey(leafKey.publicKey),
            notValidBefore: notValidBefore,
            notValidAfter: notValidAfter,
            issuer: name,
            subject: subject,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                if !names.isEmpty { SubjectAlternativeNames(names) }
            },
            issuerPrivateKey: Certificate.PrivateKey(key)
        )
        return Issued(key: leafKey, certificate: certificate, der: try Self.der(certificate))
    }

    /// A self-signed leaf (no CA), for `self_signed_tls_client_auth`.
    static func selfSigned(commonName: String = "client.example.com") throws -> Issued {
        try selfSigned(subject: try DistinguishedName { CommonName(commonName) })
    }

    /// A self-signed certificate for `subject` with `extensions`, valid from a minute ago for an hour.
    static func selfSigned(subject: DistinguishedName, extensions: Certificate.Extensions = Certificate.Extensions()) throws -> Issued {
        let key = P256.Signing.PrivateKey()
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: Certificate.PublicKey(key.publicKey),
            notValidBefore: Date().addingTimeInterval(-60),
            notValidAfter: Date().addingTimeInterval(3_600),
            issuer: subject,
            subject: subject,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: extensions,
            issuerPrivateKey: Certificate.PrivateKey(key)
        )
        return Issued(key: key, certificate: certificate, der: try der(certificate))
    }

    static func der(_ certificate: Certificate) throws -> [UInt8] {
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        return serializer.serializedBytes
    }
}
