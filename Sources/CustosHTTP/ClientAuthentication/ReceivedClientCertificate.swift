/// A client certificate as it reached this server, before it is parsed: from this server's
/// own TLS session, or as the text a trusted TLS-terminating proxy forwarded in a header.
/// `RequestPresentationReader` turns it into the core's `PresentedCertificate`.
public enum ReceivedClientCertificate: Sendable, Equatable {
    /// The DER of the peer certificate of this connection's TLS session. Nothing sets it yet:
    /// the TLS listener (issue #13) sets it in `CustosRequestContext.init(source:)` from the
    /// channel's TLS handler.
    case tlsSession(der: [UInt8])
    /// The value of `HTTPConfiguration.clientCertificateHeader` sent by a trusted proxy
    /// (URL-encoded PEM, PEM, or base64 DER).
    case forwarded(String)
}
