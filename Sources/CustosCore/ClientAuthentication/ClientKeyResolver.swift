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
        let keys = ClientPublicKey.parseSet(try await fetchKeySet(url))
        cache.withLock { $0[url] = Entry(keys: keys, fetchedAt: now) }
        return keys
    }

    /// The client's key set document. A jwks_uri that cannot be fetched, is slow or serves
    /// something other than a JWK Set is the client's failure (RFC 6749 §5.2: the client
    /// could not be authenticated, 401 `invalid_client`), never a server error; it is not
    /// cached, so the next request tries again.
    private func fetchKeySet(_ url: String) async throws -> String {
        let text: String
        do {
            text = try await fetcher.fetch(url)
        } catch let failure as OutboundFetchFailure {
            throw OAuthError.invalidClient("jwks_uri: \(failure)")
        } catch let error as OAuthError {
            throw error
        } catch {
            throw OAuthError.invalidClient("jwks_uri could not be fetched")
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], object["keys"] is [Any] else {
            throw OAuthError.invalidClient("jwks_uri: did not serve a JWK Set (RFC 7517 §5)")
        }
        return text
    }
}
