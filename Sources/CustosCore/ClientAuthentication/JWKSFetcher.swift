/// Fetches a client's `jwks_uri` (pinned rule 9: https only, short timeout, size cap, no
/// redirects to private or loopback addresses). The HTTP layer implements it; the core
/// only caches.
public protocol JWKSFetcher: Sendable {
    func fetch(_ url: String) async throws -> String
}

/// Used when no fetcher is configured: every fetch fails, so `jwks_uri` clients cannot
/// authenticate instead of being trusted.
public struct NoJWKSFetcher: JWKSFetcher {
    public init() {}
    public func fetch(_ url: String) async throws -> String { throw OAuthError.invalidClient("jwks_uri cannot be fetched") }
}
