/// What a request to a protected resource presents (RFC 6750 §2.1, RFC 9449 §7): the access
/// token, the `Authorization` scheme it came with, and, for `DPoP`, the proof and what the
/// proof's `htm`/`htu` must match; the client certificate a certificate-bound token needs.
public struct ResourceRequest: Sendable {
    public enum Scheme: Sendable, Equatable {
        case bearer
        case dpop
    }

    public var token: String?
    public var scheme: Scheme
    /// The raw `DPoP` header, not yet verified.
    public var dpopProof: String?
    public var htm: String
    public var htu: String
    /// The certificate of the TLS session or from a trusted proxy (RFC 8705 §3).
    public var certificate: PresentedCertificate?

    public init(
        token: String?,
        scheme: Scheme = .bearer,
        dpopProof: String? = nil,
        htm: String = "",
        htu: String = "",
        certificate: PresentedCertificate? = nil
    ) {
        self.token = token
        self.certificate = certificate
        self.scheme = scheme
        self.dpopProof = dpopProof
        self.htm = htm
        self.htu = htu
    }

    /// A request that can only present a bearer token (the admin and account APIs).
    public static func bearer(_ token: String?) -> ResourceRequest { ResourceRequest(token: token) }
}
