/// A client certificate as it reached this server, before it is parsed: from this server's
/// own TLS session, or as the text a trusted TLS-terminating proxy forwarded in a header.
/// `RequestPresentationReader` turns it into the core's `PresentedCertificate`.
public enum ReceivedClientCertificate: Sendable, Equatable {
    /// The DER of the peer certificate of this connection's TLS session, and of the other
    /// certificates the client sent after it (intermediates for chain building), as the TLS
    /// listener (`TLSClientCertificates`) recorded them at the handshake.
    case tlsSession(der: [UInt8], chain: [[UInt8]] = [])
    /// The value of `HTTPConfiguration.clientCertificateHeader` sent by a trusted proxy
    /// (URL-encoded PEM, PEM, or base64 DER).
    case forwarded(String)
}
