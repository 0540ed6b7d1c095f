import AsyncHTTPClient
import CustosCore
import Foundation
import NIOCore
import NIOHTTP1

/// Fetches client `jwks_uri` documents under pinned rule 9: https only, no redirects, a
/// 5-second timeout, a 64 KiB cap, and no private, loopback or link-local destinations
/// unless the operator allows them (tests do, for a loopback key server).
public struct HTTPJWKSFetcher: JWKSFetcher {
    public static let maximumSize = 64 * 1024
    let client: HTTPClient
    let allowPrivateNetworks: Bool

    public init(client: HTTPClient = OutboundHTTPClient.noRedirects, allowPrivateNetworks: Bool = false) {
        self.client = client
        self.allowPrivateNetworks = allowPrivateNetworks
    }

    public func fetch(_ url: String) async throws -> String {
        guard let components = URLComponents(string: url), let host = components.host, !host.isEmpty,
            components.scheme == "https" || (allowPrivateNetworks && components.scheme == "http")
        else { throw OAuthError.invalidClient("jwks_uri must be an https URL") }
        if !allowPrivateNetworks {
            guard try await Self.resolvesOnlyToPublicAddresses(host, port: components.port ?? 443) else {
                throw OAuthError.invalidClient("jwks_uri points to a private address")
            }
        }
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Accept", value: "application/jwk-set+json, application/json")
        let response = try await client.execute(request, timeout: .seconds(5))
        guard response.status == .ok else { throw OAuthError.invalidClient("jwks_uri answered \(response.status.code)") }
        let body = try await response.body.collect(upTo: Self.maximumSize)
        return String(buffer: body)
    }

    /// Every address the name resolves to must be public: a name that resolves to 10.0.0.1
    /// or 127.0.0.1 would make the server fetch from its own network (SSRF).
    static func resolvesOnlyToPublicAddresses(_ host: String, port: Int) async throws -> Bool {
        let address = try await Task.detached { try SocketAddress.makeAddressResolvingHost(host, port: port) }.value
        return !isPrivate(address)
    }

    static func isPrivate(_ address: SocketAddress) -> Bool {
        guard let ip = address.ipAddress else { return true }
        if ip.contains(":") {
            let lower = ip.lowercased()
            return lower == "::1" || lower.hasPrefix("fe80") || lower.hasPrefix("fc") || lower.hasPrefix("fd") || lower == "::"
                || lower.hasPrefix("::ffff:")
        }
        let octets = ip.split(separator: ".").compactMap { Int($0) }
        guard octets.count == 4 else { return true }
        switch (octets[0], octets[1]) {
        case (10, _), (127, _), (0, _), (169, 254), (192, 168), (100, 64...127): return true
        case (172, 16...31): return true
        case (224...255, _): return true
        default: return false
        }
    }
}
