import CustosCore
import CustosHTTP
import CustosTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NIOPosix
import Synchronization
import Testing

/// Rules 13 and 16 of the authorization boundaries, over real loopback listeners: every way an
/// outbound fetch can fail (a listener that never answers, answers garbage, hangs up, answers
/// 500, a redirect or a huge body) is one `OutboundFetchFailure`, within the fetch timeout;
/// at the token endpoint it is 401 invalid_client, at registration 400
/// invalid_client_metadata. Names are resolved once and the connection goes to the address
/// that was checked.
@Suite("Outbound: failures are the client's error")
struct OutboundFailureTests {
    static let timeout = TimeAmount.seconds(5)
    /// How long after the fetch timeout an answer may come: well before AsyncHTTPClient's own
    /// defaults (a 10 s connect timeout, no read timeout) would end it.
    static let slack = Duration.seconds(3)

    /// Runs `body` and expects it to finish by the fetch timeout plus `slack`, measured against
    /// a plain timer of the timeout's length started with it. On a loaded test machine (the
    /// suites run in parallel on two cores) the executor can be late for every timer, the
    /// fetch's own deadline included; comparing with a timer that was just as late keeps the
    /// check about the fetch, not about the machine.
    static func expectPrompt<T>(
        _ comment: String,
        sourceLocation: SourceLocation = #_sourceLocation,
        _ body: () async throws -> T
    ) async rethrows -> T {
        let timeout = Duration.nanoseconds(Self.timeout.nanoseconds)
        let started = ContinuousClock.now
        let timer = Task { () -> ContinuousClock.Instant in
            try? await Task.sleep(for: timeout)
            return ContinuousClock.now
        }
        let result = try await body()
        let finished = ContinuousClock.now
        if finished - started < timeout {
            timer.cancel()
        } else {
            let timerFired = await timer.value
            #expect(
                finished - timerFired < slack,
                "\(comment): took \(finished - started), \(finished - timerFired) after a timer of the timeout's length",
                sourceLocation: sourceLocation
            )
        }
        return result
    }

    // MARK: Listeners

    enum Behaviour: Sendable { case hang, garbage, hangUp }

    /// A TCP listener on 127.0.0.1 that speaks neither HTTP nor TLS.
    final class RawHandler: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let behaviour: Behaviour
        init(_ behaviour: Behaviour) { self.behaviour = behaviour }

        func channelActive(context: ChannelHandlerContext) {
            switch behaviour {
            case .hang: break
            case .garbage:
                let bytes = ByteBuffer(string: "\u{1}\u{2}garbage: neither HTTP nor TLS\r\n\r\n")
                context.writeAndFlush(NIOAny(bytes)).whenComplete { _ in context.close(promise: nil) }
            case .hangUp: context.close(promise: nil)
            }
        }
    }

    static func withRawListener<T>(_ behaviour: Behaviour, _ body: (Int) async throws -> T) async throws -> T {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(RawHandler(behaviour)) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(channel.localAddress?.port)
        do {
            let result = try await body(port)
            try? await channel.close()
            return result
        } catch {
            try? await channel.close()
            throw error
        }
    }

    /// An HTTP server answering the ways a client's server may misbehave.
    static func misbehavingApp() -> some ApplicationProtocol {
        let router = Router()
        router.get("/fail") { _, _ in Response(status: .internalServerError) }
        router.get("/moved") { _, _ in Response(status: .found, headers: [.location: "/keys"]) }
        router.get("/keys") { _, _ in "{\"keys\":[]}" }
        router.get("/huge") { _, _ in String(repeating: "x", count: 200 * 1024) }
        router.get("/huge-chunked") { _, _ in
            Response(
                status: .ok,
                body: ResponseBody { writer in
                    for _ in 0..<100 { try await writer.write(ByteBuffer(repeating: 0x78, count: 4096)) }
                    try await writer.finish(nil)
                }
            )
        }
        router.get("/binary") { _, _ in Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(bytes: [0xFF, 0xFE, 0x00]))) }
        router.get("/host") { request, _ in request.head.authority ?? "" }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }

    static func expectFailure(
        _ reason: OutboundFetchFailure.Reason,
        or alternative: OutboundFetchFailure.Reason? = nil,
        _ comment: String,
        sourceLocation: SourceLocation = #_sourceLocation,
        _ fetch: () async throws -> String
    ) async {
        await expectPrompt(comment, sourceLocation: sourceLocation) {
            do {
                let text = try await fetch()
                Issue.record("\(comment): fetched \(text.prefix(40))", sourceLocation: sourceLocation)
            } catch let failure as OutboundFetchFailure {
                #expect(failure.reason == reason || failure.reason == alternative, "\(comment): \(failure)", sourceLocation: sourceLocation)
            } catch {
                Issue.record("\(comment): not an OutboundFetchFailure: \(error)", sourceLocation: sourceLocation)
            }
        }
    }

    // MARK: The fetcher

    @Test("when the jwks_uri server never answers, answers garbage or hangs up (http or https) then the fetch fails promptly with one error type")
    func transportFailures() async throws {
        let fetcher = HTTPJWKSFetcher(allowPrivateNetworks: true, timeout: Self.timeout)
        for scheme in ["http", "https"] {
            try await Self.withRawListener(.hang) { port in
                await Self.expectFailure(.timedOut, "\(scheme) hang") { try await fetcher.fetch("\(scheme)://127.0.0.1:\(port)/jwks") }
            }
            // AsyncHTTPClient retries a failed connection until the deadline: either answer
            // is right, as long as it comes within the timeout.
            try await Self.withRawListener(.garbage) { port in
                await Self.expectFailure(.unreachable, or: .timedOut, "\(scheme) garbage") {
                    try await fetcher.fetch("\(scheme)://127.0.0.1:\(port)/jwks")
                }
            }
            try await Self.withRawListener(.hangUp) { port in
                await Self.expectFailure(.unreachable, or: .timedOut, "\(scheme) hang-up") {
                    try await fetcher.fetch("\(scheme)://127.0.0.1:\(port)/jwks")
                }
            }
        }
    }

    @Test(
        "when the server answers 500, a redirect, a body over the cap (sized or chunked) or bytes that are not UTF-8 then the fetch fails with that reason"
    )
    func answerFailures() async throws {
        let fetcher = HTTPJWKSFetcher(allowPrivateNetworks: true, timeout: Self.timeout)
        try await Self.misbehavingApp().test(.live) { client in
            let base = "http://127.0.0.1:\(try #require(client.port))"
            await Self.expectFailure(.badStatus(500), "500") { try await fetcher.fetch(base + "/fail") }
            await Self.expectFailure(.badStatus(302), "redirect (not followed)") { try await fetcher.fetch(base + "/moved") }
            await Self.expectFailure(.tooLarge, "200 KiB with Content-Length") { try await fetcher.fetch(base + "/huge") }
            await Self.expectFailure(.tooLarge, "400 KiB chunked") { try await fetcher.fetch(base + "/huge-chunked") }
            await Self.expectFailure(.malformedContent, "not UTF-8") { try await fetcher.fetch(base + "/binary") }
            #expect(try await fetcher.fetch(base + "/keys") == "{\"keys\":[]}")
        }
    }

    @Test("when private fetches are not allowed then special-use literals, localhost and http are refused before anything is sent")
    func refusedTargets() async throws {
        let fetcher = HTTPJWKSFetcher(timeout: Self.timeout)
        try await Self.misbehavingApp().test(.live) { client in
            let port = try #require(client.port)
            for host in ["127.0.0.1", "2130706433", "0177.0.0.1", "0x7f.1", "127.1", "[::1]", "[::ffff:127.0.0.1]", "localhost", "LocalHost."] {
                await Self.expectFailure(.refusedAddress, host) { try await fetcher.fetch("https://\(host):\(port)/keys") }
            }
            await Self.expectFailure(.invalidURL, "http") { try await fetcher.fetch("http://rp.example.com/keys") }
            await Self.expectFailure(.invalidURL, "user info") { try await fetcher.fetch("https://user@rp.example.com/keys") }
        }
    }

    @Test("when a name resolves to a public and a loopback address (DNS rebinding) then nothing is sent")
    func everyResolvedAddressIsChecked() async throws {
        let asked = Mutex<[String]>([])
        let client = OutboundHTTPClient(policy: OutboundAddressPolicy(), timeout: Self.timeout) { name in
            asked.withLock { $0.append(name) }
            return [.v4(0x0808_0808), .v4(0x7F00_0001)]
        }
        await Self.expectFailure(.refusedAddress, "8.8.8.8 and 127.0.0.1") {
            try await HTTPJWKSFetcher(client: client).fetch("https://rebind.example/keys")
        }
        #expect(asked.withLock { $0 } == ["rebind.example"])
        let mapped = OutboundHTTPClient(policy: OutboundAddressPolicy(), timeout: Self.timeout) { _ in
            [.v6([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 10, 0, 0, 1])]
        }
        await Self.expectFailure(.refusedAddress, "an AAAA record ::ffff:10.0.0.1") {
            try await HTTPJWKSFetcher(client: mapped).fetch("https://rebind.example/keys")
        }
    }

    @Test("when a name is resolved then the connection goes to the checked address (no second resolution) with the name in Host")
    func connectsToTheCheckedAddress() async throws {
        try await Self.misbehavingApp().test(.live) { http in
            let port = try #require(http.port)
            let resolutions = Mutex(0)
            // A name no resolver knows (RFC 6761 §6.4): the request can only arrive if the
            // client connected to the address this resolver gave, without asking again.
            let client = OutboundHTTPClient(policy: OutboundAddressPolicy(allowsPrivateAddresses: true), timeout: Self.timeout) { _ in
                resolutions.withLock { $0 += 1 }
                return [.v4(0x7F00_0001)]
            }
            let host = try await HTTPJWKSFetcher(client: client).fetch("http://keys.custos.invalid:\(port)/host")
            #expect(host == "keys.custos.invalid:\(port)")
            #expect(resolutions.withLock { $0 } == 1)
        }
    }

    // MARK: At the endpoints

    /// A server whose fetcher is the real one (private fetches allowed, 5 s timeout).
    static func withServer<T: Sendable>(_ database: TestDatabase, _ body: @Sendable (FlowContext) async throws -> T) async throws -> T {
        let fetcher = HTTPJWKSFetcher(allowPrivateNetworks: true, timeout: Self.timeout)
        let testServer = try await TestServer.make(database, jwksFetcher: fetcher) { configuration in
            configuration.issuer = Flow.issuer
            configuration.allowsPrivateFetch = true
        }
        let user = try await testServer.makeUser("alice")
        let (_, cookie) = try await testServer.server.sessions.start(for: user, amr: ["pwd"])
        return try await testServer.run { http in
            try await body(FlowContext(server: testServer, http: http, user: user, sessionCookie: cookie))
        }
    }

    @Test(
        "when a private_key_jwt client's jwks_uri hangs, answers garbage or hangs up then the token endpoint answers 401 invalid_client within the timeout",
        arguments: TestDatabase.all
    )
    func tokenEndpoint(database: TestDatabase) async throws {
        for behaviour in [Behaviour.hang, .garbage, .hangUp] {
            try await Self.withRawListener(behaviour) { port in
                try await Self.withServer(database) { flow in
                    let key = try SigningKey.generate(.ES256)
                    let client = try await flow.makeClient([
                        "client_auth_methods": ["private_key_jwt"], "jwks_uri": "https://127.0.0.1:\(port)/jwks.json",
                        "grant_types": ["client_credentials"],
                    ])
                    let assertion = try signedJWT(
                        header: ClientAssertionTests.header(key),
                        payload: ClientAssertionTests.claims(flow, clientID: client.clientID),
                        key: key
                    )
                    let response = try await Self.expectPrompt("jwks_uri \(behaviour)") {
                        try await ClientAssertionTests.tokenRequest(flow, assertion: assertion)
                    }
                    ClientAssertionTests.expectInvalidClient(response, "jwks_uri \(behaviour)")
                }
            }
        }
    }

    @Test(
        "when a registration's sector_identifier_uri hangs or answers garbage then 400 invalid_client_metadata within the timeout",
        arguments: TestDatabase.all
    )
    func sectorIdentifier(database: TestDatabase) async throws {
        for behaviour in [Behaviour.hang, .garbage] {
            try await Self.withRawListener(behaviour) { port in
                try await Self.withServer(database) { flow in
                    let response = try await Self.expectPrompt("sector_identifier_uri \(behaviour)") {
                        try await Registration.post(
                            flow.http,
                            Registration.metadata(["subject_type": "pairwise", "sector_identifier_uri": "https://127.0.0.1:\(port)/sector.json"])
                        )
                    }
                    expectRegistrationError(response, error: "invalid_client_metadata", "sector_identifier_uri \(behaviour)")
                }
            }
        }
    }

    @Test(
        "when private fetches are not allowed then a jwks_uri, sector_identifier_uri or backchannel_logout_uri on a special-use literal is refused at registration (admin 400, DCR invalid_client_metadata)",
        arguments: TestDatabase.all
    )
    func literalRefusedAtRegistration(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let token = try await flow.http.adminToken()
            for (field, value) in [
                ("jwks_uri", "https://2130706433/jwks.json"), ("jwks_uri", "https://[::ffff:169.254.169.254]/jwks.json"),
                ("jwks_uri", "https://localhost/jwks.json"),
            ] {
                let response = try await flow.http.admin(
                    .post,
                    "/oauth/clients",
                    token: token,
                    json: ["name": "Literal", "redirect_uris": [Flow.redirectURI], "client_auth_methods": ["private_key_jwt"], field: value]
                )
                #expect(response.status == .badRequest, "\(field) = \(value): \(response.text)")
                #expect(try response.json()["code"] as? Int == 400, "\(response.text)")
                #expect(response.text.contains(field), "\(response.text)")
            }
            for (field, value) in [
                ("jwks_uri", "https://0177.0.0.1/jwks.json"), ("sector_identifier_uri", "https://0x7f.1/sector.json"),
                ("backchannel_logout_uri", "https://10.1/logout"),
            ] {
                var metadata = Registration.metadata([field: value])
                if field == "sector_identifier_uri" { metadata["subject_type"] = "pairwise" }
                if field == "jwks_uri" { metadata["token_endpoint_auth_method"] = "private_key_jwt" }
                let response = try await Registration.post(flow.http, metadata)
                expectRegistrationError(response, error: "invalid_client_metadata", "\(field) = \(value)")
                #expect(response.string("error_description")?.contains(field) == true, "\(response.text)")
            }
        }
    }
}
