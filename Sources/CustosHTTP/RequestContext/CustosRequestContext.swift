import CustosCore
import Hummingbird
import Logging
import NIOCore

/// The per-request context: Hummingbird's core context (logger with request id, route
/// parameters), the TCP peer, the client's address and the client certificate.
public struct CustosRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The TCP peer (`unknown` in in-process tests).
    public let peerAddress: ClientAddress
    /// Who the request comes from: the peer, or behind a trusted proxy the address it
    /// forwarded (set by `ClientAddressMiddleware`). Every per-address rule uses this one.
    public var clientAddress: ClientAddress
    /// The client certificate: of this connection's TLS session, or forwarded by a trusted
    /// proxy (set by `ClientCertificateMiddleware`); nil when none was presented.
    public var clientCertificate: ReceivedClientCertificate?

    /// The client's address as text, for audit records ("" when unknown).
    public var remoteIP: String { clientAddress.description }

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        let peer = source.channel.remoteAddress?.ipAddress.flatMap { ClientAddress($0) } ?? .unknown
        self.peerAddress = peer
        self.clientAddress = peer
        // What the TLS listener recorded at this connection's handshake; plain HTTP has none.
        self.clientCertificate = TLSClientCertificates.shared.certificate(of: source.channel)
    }
}
