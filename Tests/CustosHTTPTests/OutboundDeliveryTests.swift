import CustosCore
import CustosHTTP
import CustosTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing

/// The two things the server sends out over the network: back-channel logout tokens
/// (retried, in the background) and client JWK Set fetches (https only, no private
/// addresses unless allowed). Each test runs a real loopback HTTP server as the client.
@Suite("Outbound delivery and fetching")
struct OutboundDeliveryTests {
    /// A receiver that fails the first `failures` POSTs with 500, then accepts, recording bodies.
    final class Receiver: Sendable {
        let bodies = Mutex<[String]>([])
        let attempts = Mutex(0)
        let failures: Int
        init(failures: Int) { self.failures = failures }
    }

    static func receiverApp(_ receiver: Receiver) -> some ApplicationProtocol {
        let router = Router()
        router.post("/backchannel") { request, _ -> HTTPResponse.Status in
            let body = try await request.body.collect(upTo: 1 << 16)
            let attempt = receiver.attempts.withLock { count -> Int in
                count += 1
                return count
            }
            guard attempt > receiver.failures else { return .internalServerError }
            receiver.bodies.withLock { $0.append(String(buffer: body)) }
            return .ok
        }
        router.get("/jwks.json") { _, _ in "{\"keys\":[]}" }
        // A hop elsewhere: outbound requests must not follow it (SSRF past the address check).
        router.post("/moved") { _, _ in Response(status: .temporaryRedirect, headers: [.location: "/backchannel"]) }
        router.get("/moved.json") { _, _ in Response(status: .found, headers: [.location: "/jwks.json"]) }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }

    @Test("when the client's back-channel endpoint fails once then the logout token is delivered on a retry, without the caller waiting")
    func backchannelRetries() async throws {
        let receiver = Receiver(failures: 1)
        try await Self.receiverApp(receiver).test(.live) { client in
            let port = try #require(client.port)
            let notifier = HTTPLogoutNotifier(allowPrivateNetworks: true, logger: Logger(label: "test"))
            let started = ContinuousClock.now
            notifier.deliver(logoutToken: "header.payload.signature", to: "http://127.0.0.1:\(port)/backchannel")
            #expect(ContinuousClock.now - started < .milliseconds(500), "deliver must not block the logout")
            for _ in 0..<100 where receiver.bodies.withLock({ $0.isEmpty }) {
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(receiver.attempts.withLock { $0 } == 2)
            #expect(receiver.bodies.withLock { $0 } == ["logout_token=header.payload.signature"])
        }
    }

    @Test("when a jwks_uri is not https, or resolves to a loopback address, then it is not fetched")
    func jwksFetchRefusesPrivateTargets() async throws {
        let fetcher = HTTPJWKSFetcher()
        await #expect(throws: OutboundFetchFailure(.invalidURL, host: "example.com")) { try await fetcher.fetch("http://example.com/jwks.json") }
        await #expect(throws: OutboundFetchFailure(.refusedAddress, host: "127.0.0.1")) { try await fetcher.fetch("https://127.0.0.1/jwks.json") }
        await #expect(throws: OutboundFetchFailure(.refusedAddress, host: "localhost")) { try await fetcher.fetch("https://localhost:9/jwks.json") }
    }

    @Test("when private networks are allowed (tests, local development) then a loopback jwks_uri is fetched")
    func jwksFetchWhenAllowed() async throws {
        try await Self.receiverApp(Receiver(failures: 0)).test(.live) { client in
            let port = try #require(client.port)
            // A generous timeout: this test is about the address rule, and a loaded machine may take
            // seconds to answer (the 5 s production bound is tested in OutboundFailureTests).
            let text = try await HTTPJWKSFetcher(allowPrivateNetworks: true, timeout: .seconds(60)).fetch("http://127.0.0.1:\(port)/jwks.json")
            #expect(text == "{\"keys\":[]}")
        }
    }

    @Test("when a back-channel logout URI resolves to a loopback address then nothing is sent, unless private networks are allowed")
    func backchannelRefusesPrivateTargets() async throws {
        let receiver = Receiver(failures: 0)
        try await Self.receiverApp(receiver).test(.live) { client in
            let port = try #require(client.port)
            HTTPLogoutNotifier(logger: Logger(label: "test")).deliver(logoutToken: "a.b.c", to: "http://127.0.0.1:\(port)/backchannel")
            try await Task.sleep(for: .seconds(1))
            #expect(receiver.attempts.withLock { $0 } == 0, "a loopback destination was contacted")
        }
    }

    @Test("when an outbound request is answered with a redirect then it is not followed (logout delivery and jwks_uri fetch)")
    func redirectsAreNotFollowed() async throws {
        let receiver = Receiver(failures: 0)
        try await Self.receiverApp(receiver).test(.live) { client in
            let port = try #require(client.port)
            HTTPLogoutNotifier(allowPrivateNetworks: true, logger: Logger(label: "test"))
                .deliver(logoutToken: "a.b.c", to: "http://127.0.0.1:\(port)/moved")
            // Three attempts with 1 s and 2 s pauses would be over in about 3 s.
            try await Task.sleep(for: .seconds(4))
            #expect(receiver.attempts.withLock { $0 } == 0, "the redirect was followed to /backchannel")
            await #expect(throws: OutboundFetchFailure(.badStatus(302), host: "127.0.0.1")) {
                try await HTTPJWKSFetcher(allowPrivateNetworks: true).fetch("http://127.0.0.1:\(port)/moved.json")
            }
        }
    }
}
