import Crypto

/// The X.509 certificate a client presented on the TLS connection (or that a trusted TLS
/// terminating proxy forwarded), as plain values: the HTTP layer parses it, the core reads
/// only these fields. Mutual-TLS client authentication and certificate-bound tokens
/// (RFC 8705, issue #13) compare their registered values against them.
public struct PresentedCertificate: Sendable, Equatable {
    /// The certificate's DER encoding.
    public let der: [UInt8]
    /// `x5t#S256`: base64url (no padding) of the SHA-256 of the DER (RFC 8705 §3.1).
    public let thumbprint: String
    /// The subject distinguished name in RFC 4514 string form (RFC 8705 §2.1.2
    /// `tls_client_auth_subject_dn`).
    public let subjectDN: String
    public let subjectAlternativeNames: SubjectAlternativeNames
    /// The certificate's SubjectPublicKeyInfo, DER (RFC 5280 §4.1.2.7):
    /// `self_signed_tls_client_auth` looks for this key in the client's JWK Set (RFC 8705 §2.2).
    public let publicKeySPKI: [UInt8]
    /// Whether the HTTP layer validated a chain from this certificate (and the intermediates the
    /// client sent) to one of the configured client CAs (`CUSTOS_TLS_CLIENT_CA_FILE`), under the
    /// RFC 5280 policy at the current time. `tls_client_auth` requires it (RFC 8705 §2.1); the
    /// core never sees X.509 itself.
    public let chainsToTrustedCA: Bool

    /// The subjectAltName entries RFC 8705 §2.1.2 lets a client register one of.
    public struct SubjectAlternativeNames: Sendable, Equatable {
        public var dnsNames: [String]
        public var uris: [String]
        public var ipAddresses: [String]
        public var emailAddresses: [String]

        public init(dnsNames: [String] = [], uris: [String] = [], ipAddresses: [String] = [], emailAddresses: [String] = []) {
            self.dnsNames = dnsNames
            self.uris = uris
            self.ipAddresses = ipAddresses
            self.emailAddresses = emailAddresses
        }
    }

    public init(
        der: [UInt8],
        subjectDN: String,
        subjectAlternativeNames: SubjectAlternativeNames = SubjectAlternativeNames(),
        publicKeySPKI: [UInt8] = [],
        chainsToTrustedCA: Bool = false
    ) {
        self.der = der
        self.thumbprint = Self.thumbprint(of: der)
        self.subjectDN = subjectDN
        self.subjectAlternativeNames = subjectAlternativeNames
        self.publicKeySPKI = publicKeySPKI
        self.chainsToTrustedCA = chainsToTrustedCA
    }

    /// RFC 8705 §3.1: the `x5t#S256` confirmation value of a DER-encoded certificate.
    public static func thumbprint(of der: [UInt8]) -> String {
        Base64URL.encode(SHA256.hash(data: der))
    }
}
