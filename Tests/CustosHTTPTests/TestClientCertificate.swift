import Crypto
import Foundation
import SwiftASN1
import X509

/// A self-signed client certificate made for a test, as DER and PEM.
struct TestClientCertificate {
    let der: [UInt8]
    let pem: String

    static func make(commonName: String = "client.example.com") throws -> TestClientCertificate {
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName {
            CommonName(commonName)
            OrganizationName("Example Client")
        }
        let extensions = try Certificate.Extensions {
            SubjectAlternativeNames([
                .dnsName(commonName), .uniformResourceIdentifier("https://client.example.com/app"),
                .ipAddress(ASN1OctetString(contentBytes: [10, 0, 0, 7])), .rfc822Name("ops@example.com"),
            ])
        }
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: Certificate.PublicKey(key.publicKey),
            notValidBefore: Date().addingTimeInterval(-60),
            notValidAfter: Date().addingTimeInterval(3_600),
            issuer: name,
            subject: name,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: extensions,
            issuerPrivateKey: Certificate.PrivateKey(key)
        )
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        return TestClientCertificate(der: serializer.serializedBytes, pem: try certificate.serializeAsPEM().pemString)
    }

    /// As nginx's `$ssl_client_escaped_cert` sends it: the PEM, URL-encoded.
    var urlEncodedPEM: String {
        pem.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
    }
}
