/// Fetches a document a client points to: its `jwks_uri`, a `request_uri`, a
/// `sector_identifier_uri` (pinned rule 9: https only, short timeout, size cap, no redirects,
/// no special-use addresses; `OutboundAddressPolicy`). The HTTP layer implements it; the core
/// only caches.
public protocol JWKSFetcher: Sendable {
    /// The body, as text. Every failure is an `OutboundFetchFailure` (its `reason` says which:
    /// refused address, timeout, too large, bad status…), for the caller to turn into the
    /// client's error in its own format; never a transport error of the HTTP client.
    func fetch(_ url: String) async throws -> String
}

/// Used when no fetcher is configured: every fetch fails, so `jwks_uri` clients cannot
/// authenticate instead of being trusted.
public struct NoJWKSFetcher: JWKSFetcher {
    public init() {}
    public func fetch(_ url: String) async throws -> String {
        throw OutboundFetchFailure(.unreachable, host: OutboundAddressPolicy.host(of: url) ?? "")
    }
}
