import AsyncHTTPClient
import CustosCore
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// Sends back-channel logout tokens (Back-Channel Logout 1.0 §2.5): a form POST of
/// `logout_token`, in a background task so the user's logout never waits, with a 5-second
/// timeout and up to three attempts with growing pauses. Delivery failures are logged by
/// destination host only. Like every outbound request: no redirects, and no private,
/// loopback or link-local destination unless the operator allows them.
public struct HTTPLogoutNotifier: LogoutNotifier {
    let client: HTTPClient
    let logger: Logger
    let allowPrivateNetworks: Bool

    public init(client: HTTPClient = OutboundHTTPClient.noRedirects, allowPrivateNetworks: Bool = false, logger: Logger) {
        self.client = client
        self.logger = logger
        self.allowPrivateNetworks = allowPrivateNetworks
    }

    public func deliver(logoutToken: String, to uri: String) {
        let client = self.client
        let logger = self.logger
        let allowPrivateNetworks = self.allowPrivateNetworks
        Task.detached {
            if !allowPrivateNetworks {
                guard let components = URLComponents(string: uri), let host = components.host,
                    (try? await HTTPJWKSFetcher.resolvesOnlyToPublicAddresses(host, port: components.port ?? 443)) == true
                else {
                    logger.warning("back-channel logout not sent to a private address", metadata: ["uri.host": "\(URLComponents(string: uri)?.host ?? "")"])
                    return
                }
            }
            var request = HTTPClientRequest(url: uri)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: "logout_token=" + logoutToken))
            for attempt in 1...3 {
                do {
                    let response = try await client.execute(request, timeout: .seconds(5))
                    if response.status == .ok || response.status == .noContent { return }
                } catch {}
                if attempt < 3 { try? await Task.sleep(for: .seconds(attempt)) }
            }
            logger.warning("back-channel logout delivery failed", metadata: ["uri.host": "\(uri.split(separator: "/").dropFirst(1).first ?? "")"])
        }
    }
}
