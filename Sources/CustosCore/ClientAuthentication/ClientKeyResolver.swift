import Foundation
import Synchronization

/// The public keys a client registered: its `jwks`, or its `jwks_uri` fetched through a
/// `JWKSFetcher` and cached for `cacheLifetime`. An unknown `kid` triggers one re-fetch
/// (the client may have rotated), at most once per `refetchInterval` per URL.
public final class ClientKeyResolver: Sendable {
    private struct Entry {
        var keys: [ClientPublicKey]
        var fetchedAt: Date
    }

    private let fetcher: any JWKSFetcher
    private let clock: any WallClock
    private let cache = Mutex<[String: Entry]>([:])
    let cacheLifetime: TimeInterval = 300
    let refetchInterval: TimeInterval = 10

    public init(fetcher: any JWKSFetcher, clock: any WallClock) {
        self.fetcher = fetcher
        self.clock = clock
    }

    /// Whether one of the client's keys (the one named by `kid`, when given) verifies the JWS
    /// under `algorithm`.
    public func verify(_ jws: ParsedJWS, algorithm: SigningAlgorithm, kid: String?, client: OAuthClient) async throws -> Bool {
        guard kid.map({ $0.utf8.count <= 256 }) ?? true else { return false }
        let candidates = try await keys(for: client, kid: kid).filter { kid == nil || $0.kid == kid }
        return candidates.contains { $0.verifier(for: algorithm)?.isValidSignature(jws.signature, for: jws.signingInput) ?? false }
    }

    public func keys(for client: OAuthClient, kid: String?) async throws -> [ClientPublicKey] {
        if let jwks = client.jwks { return ClientPublicKey.parseSet(jwks) }
        guard let url = client.jwksURI else { return [] }
        let now = clock.now
        let cached = cache.withLock { $0[url] }
        if let cached, now.timeIntervalSince(cached.fetchedAt) < cacheLifetime {
            let known = kid == nil || cached.keys.contains { $0.kid == kid }
            if known || now.timeIntervalSince(cached.fetchedAt) < refetchInterval { return cached.keys }
        }
        let keys = ClientPublicKey.parseSet(try await fetcher.fetch(url))
        cache.withLock { $0[url] = Entry(keys: keys, fetchedAt: now) }
        return keys
    }
}
