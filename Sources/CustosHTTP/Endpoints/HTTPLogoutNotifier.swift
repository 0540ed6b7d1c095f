import CustosCore
import Logging
import NIOCore
import NIOHTTP1

/// Sends back-channel logout tokens (Back-Channel Logout 1.0 §2.5): a form POST of
/// `logout_token`, in a background task so the user's logout never waits, with a 5-second
/// timeout and up to three attempts with growing pauses. Delivery failures are logged by
/// destination host only. Like every outbound request it goes through `OutboundHTTPClient`:
/// no redirects, every resolved address checked and the connection made to the checked one,
/// no special-use destination unless the operator allows them.
public struct HTTPLogoutNotifier: LogoutNotifier {
    let client: OutboundHTTPClient
    let logger: Logger

    public init(allowPrivateNetworks: Bool = false, timeout: TimeAmount = .seconds(5), logger: Logger) {
        self.client = OutboundHTTPClient(policy: OutboundAddressPolicy(allowsPrivateAddresses: allowPrivateNetworks), timeout: timeout)
        self.logger = logger
    }

    public init(client: OutboundHTTPClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    public func deliver(logoutToken: String, to uri: String) {
        let client = self.client
        let logger = self.logger
        Task.detached {
            let body = ByteBuffer(string: "logout_token=" + logoutToken)
            var last: OutboundFetchFailure?
            for attempt in 1...3 {
                do {
                    let response = try await client.send(
                        .POST,
                        to: uri,
                        headers: [("Content-Type", "application/x-www-form-urlencoded")],
                        body: body
                    )
                    if response.status == 200 || response.status == 204 { return }
                    last = OutboundFetchFailure(.badStatus(response.status), host: OutboundAddressPolicy.host(of: uri) ?? "")
                } catch let failure as OutboundFetchFailure {
                    last = failure
                    // Retrying cannot make a refused address or a malformed URL acceptable.
                    if failure.reason == .refusedAddress || failure.reason == .invalidURL { break }
                } catch {}
                if attempt < 3 { try? await Task.sleep(for: .seconds(attempt)) }
            }
            logger.warning(
                "back-channel logout delivery failed",
                metadata: ["uri.host": "\(OutboundAddressPolicy.host(of: uri) ?? "")", "reason": "\(last.map { "\($0.reason)" } ?? "")"]
            )
        }
    }
}
