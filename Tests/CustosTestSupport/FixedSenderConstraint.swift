import CustosCore
import Synchronization

/// A sender constraint for tests: binds every token request to whatever `binding` holds at the
/// time (nil: the request presents nothing of its kind). Changing it between requests stands
/// for a client that presents another key or certificate. The clients in `unbound` (by
/// default the bootstrap admin client, whose bearer token drives the admin API) present nothing.
public final class FixedSenderConstraint: SenderConstraint {
    private let current: Mutex<Confirmation?>
    private let unbound: Set<String>

    public init(_ binding: Confirmation?, unbound: Set<String> = [TestServer.adminClientID]) {
        current = Mutex(binding)
        self.unbound = unbound
    }

    public var binding: Confirmation? {
        get { current.withLock { $0 } }
        set { current.withLock { $0 = newValue } }
    }

    public func confirmation(for request: TokenRequest, client: AuthenticatedClient) async throws -> Confirmation? {
        guard !unbound.contains(client.client.clientID) else { return nil }
        return current.withLock { $0 }
    }
}
