import Hummingbird
import Logging
import NIOCore

/// The per-request context: Hummingbird's core context (logger with request id, route
/// parameters) and the peer's address for audit records.
public struct CustosRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The TCP peer's IP address ("" in in-process tests).
    public let remoteIP: String

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteIP = source.channel.remoteAddress?.ipAddress ?? ""
    }
}
