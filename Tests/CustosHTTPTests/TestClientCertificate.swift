import Foundation
import SwiftASN1
import X509

/// A self-signed client certificate made for a test, as DER and PEM.
struct TestClientCertificate {
    let der: [UInt8]
    let pem: String

    static func make(commonName: String = "client.example.com") throws -> TestClientCertificate {
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
        let issued = try TestPKI.selfSigned(subject: name, extensions: extensions)
        return TestClientCertificate(der: issued.der, pem: try issued.certificate.serializeAsPEM().pemString)
    }

    /// As nginx's `$ssl_client_escaped_cert` sends it: the PEM, URL-encoded.
    var urlEncodedPEM: String {
        pem.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
    }
}
