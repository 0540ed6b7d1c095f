import AsyncHTTPClient
import NIOPosix

/// The HTTP client of every request Custos makes on a client's behalf (jwks_uri,
/// sector_identifier_uri, back-channel logout). Redirects are not followed: the address was
/// checked before the request, and a redirect would lead past that check to any host,
/// the server's own network included (SSRF).
public enum OutboundHTTPClient {
    /// Lives as long as the process, like `HTTPClient.shared`.
    public static let noRedirects = HTTPClient(
        eventLoopGroup: MultiThreadedEventLoopGroup.singleton,
        configuration: HTTPClient.Configuration(redirectConfiguration: .disallow))
}
