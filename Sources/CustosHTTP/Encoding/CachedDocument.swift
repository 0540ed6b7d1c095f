import Hummingbird
import NIOCore
import Synchronization

/// A JSON document encoded once per version of what it is made from (the published keys, the
/// signing algorithms) instead of once per request: JWKS and discovery are fetched far more
/// often than they change.
final class CachedDocument<Version: Equatable & Sendable>: Sendable {
    private let cached = Mutex<(version: Version, body: ByteBuffer)?>(nil)

    func body(for version: Version, make: () throws -> ByteBuffer) rethrows -> ByteBuffer {
        if let hit = cached.withLock({ $0?.version == version ? $0?.body : nil }) { return hit }
        let body = try make()
        cached.withLock { $0 = (version, body) }
        return body
    }
}
