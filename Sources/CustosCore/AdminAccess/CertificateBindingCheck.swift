/// The resource side of certificate-bound access tokens (RFC 8705 §3): a token whose `cnf`
/// carries `x5t#S256` is accepted only from a request presenting that certificate, over the
/// TLS connection or from a trusted TLS-terminating proxy. The thumbprints compare in constant
/// time. A resource "MUST" refuse the token otherwise, with 401 `invalid_token` (§3).
public enum CertificateBindingCheck {
    /// Whether `confirmation` is a certificate binding that `certificate` satisfies. False for
    /// any other binding (a DPoP key is not proven by a certificate) and without a certificate.
    public static func isSatisfied(_ confirmation: Confirmation, by certificate: PresentedCertificate?) -> Bool {
        guard case .x5tS256(let bound) = confirmation, let certificate else { return false }
        return ConstantTimeComparison.equals(Array(bound.utf8), Array(certificate.thumbprint.utf8))
    }
}
