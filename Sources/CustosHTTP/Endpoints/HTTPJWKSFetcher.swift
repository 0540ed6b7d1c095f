import CustosCore
import NIOCore
import NIOHTTP1

/// Fetches the documents clients point to (`jwks_uri`, `request_uri`,
/// `sector_identifier_uri`) under pinned rule 9 and rule 13 of the authorization boundaries,
/// through `OutboundHTTPClient`: https only, the name resolved once and every address checked
/// (no special-use destinations unless the operator allows them; tests do, for a loopback key
/// server), the connection made to the checked address, no redirects, a 5-second limit for
/// the whole fetch and a 64 KiB cap. Every failure is an `OutboundFetchFailure`.
public struct HTTPJWKSFetcher: JWKSFetcher {
    public static let maximumSize = 64 * 1024
    let client: OutboundHTTPClient

    public init(allowPrivateNetworks: Bool = false, timeout: TimeAmount = .seconds(5)) {
        self.client = OutboundHTTPClient(
            policy: OutboundAddressPolicy(allowsPrivateAddresses: allowPrivateNetworks),
            timeout: timeout,
            maximumBodySize: Self.maximumSize
        )
    }

    public init(client: OutboundHTTPClient) {
        self.client = client
    }

    public func fetch(_ url: String) async throws -> String {
        let host = OutboundAddressPolicy.host(of: url) ?? ""
        let response = try await client.send(
            .GET,
            to: url,
            headers: [("Accept", "application/jwk-set+json, application/oauth-authz-req+jwt, application/json")]
        )
        guard response.status == 200 else { throw OutboundFetchFailure(.badStatus(response.status), host: host) }
        guard let text = String(validating: Array(response.body.readableBytesView), as: UTF8.self) else {
            throw OutboundFetchFailure(.malformedContent, host: host)
        }
        return text
    }
}
