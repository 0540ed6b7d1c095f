/// Everything a request to a client-authenticated endpoint brings besides its form
/// parameters, read once by the HTTP layer and handed to the core as one value: client
/// credentials, the DPoP proof, the certificate of the TLS session, and what a DPoP proof's
/// `htm`/`htu` must match. Verifiers (`ClientAuthenticationVerifier`) and sender constraints
/// read it; the core never sees a header.
public struct RequestPresentation: Sendable, Equatable {
    public var credentials: PresentedClientCredentials
    /// The raw `DPoP` header (RFC 9449 §4.1), not yet verified.
    public var dpopProof: String?
    /// The request method (RFC 9449 §4.2 `htm`), e.g. `POST`.
    public var htm: String
    /// The target URL as the client addressed it, built from the configured issuer and the
    /// request path (never from the Host header), without query and fragment (RFC 9449 §4.3).
    public var htu: String
    /// The client certificate of the TLS session, or the one a trusted proxy forwarded.
    public var clientCertificate: PresentedCertificate?

    public init(
        credentials: PresentedClientCredentials = PresentedClientCredentials(),
        dpopProof: String? = nil,
        htm: String = "",
        htu: String = "",
        clientCertificate: PresentedCertificate? = nil
    ) {
        self.credentials = credentials
        self.dpopProof = dpopProof
        self.htm = htm
        self.htu = htu
        self.clientCertificate = clientCertificate
    }
}
