import CustosCore
import CustosTestSupport
import Foundation
import Synchronization
import Testing

/// The request-object resolver on its own, for what the HTTP API cannot set up: a FAPI client
/// whose stored metadata says `request_object_signing_alg: none` (registration refuses it),
/// and the fetch limiter's counting.
@Suite("Request object resolver")
struct RequestObjectResolverTests {
    /// A replay cache in memory: first use of a key is true, later ones false.
    final class MemoryReplayCache: ReplayCache {
        private let seen = Mutex<Set<String>>([])
        func firstUse(of key: String, tenant: TenantID, expiresAt: Date, now: Date) async throws -> Bool {
            seen.withLock { $0.insert(key).inserted }
        }
    }

    static let issuer = "https://custos.example"

    static func client(fapi: FAPIProfile) -> OAuthClient {
        var client = OAuthClient(
            id: "01J00000000000000000000000",
            tenant: .default,
            clientID: "app",
            name: "App",
            isConfidential: true,
            redirectURIs: ["https://app.example.com/cb"],
            grantTypes: [.authorizationCode],
            authMethods: [.privateKeyJWT],
            scopes: ["openid"],
            corsOrigins: [],
            fapiProfile: fapi,
            createdAt: CoreFixtures.epoch,
            updatedAt: CoreFixtures.epoch
        )
        client.openID.requestObjectSigningAlg = "none"
        return client
    }

    static func resolver() -> RequestObjectResolver {
        let clock = ManualClock(CoreFixtures.epoch)
        return RequestObjectResolver(
            keys: ClientKeyResolver(fetcher: NoJWKSFetcher(), clock: clock),
            fetcher: NoJWKSFetcher(),
            replay: MemoryReplayCache(),
            configuration: ServerConfiguration(issuer: issuer),
            clock: clock
        )
    }

    static func unsignedRequest() -> AuthorizationRequest {
        let payload = #"{"client_id":"app","response_type":"code","state":"inside"}"#
        let object = Base64URL.encode(Array(#"{"alg":"none"}"#.utf8)) + "." + Base64URL.encode(Array(payload.utf8)) + "."
        return AuthorizationRequest(parameters: ["client_id": "app", "response_type": "code", "request": object])
    }

    @Test(
        "when a FAPI client whose metadata says request_object_signing_alg none sends an alg none object then it is refused",
        arguments: FAPIProfile.allCases
    )
    func fapiNeverUnsigned(profile: FAPIProfile) async throws {
        let resolver = Self.resolver()
        if profile == .none {
            // Control: the same metadata without a FAPI profile is accepted.
            let resolved = try await resolver.resolve(Self.unsignedRequest(), client: Self.client(fapi: profile))
            #expect(resolved["state"] == "inside")
        } else {
            await #expect(throws: OAuthError.self, "fapi_profile \(profile.rawValue)") {
                try await resolver.resolve(Self.unsignedRequest(), client: Self.client(fapi: profile))
            }
        }
    }

    @Test("when a client holds the limit of fetch slots then another is refused until one is released; clients count separately")
    func fetchLimiter() {
        let limiter = RequestURIFetchLimiter(limit: 2)
        #expect(limiter.acquire("a") && limiter.acquire("a"))
        #expect(!limiter.acquire("a"))
        #expect(limiter.acquire("b"), "another client has its own slots")
        limiter.release("a")
        #expect(limiter.count(for: "a") == 1)
        #expect(limiter.acquire("a"))
        limiter.release("a")
        limiter.release("a")
        limiter.release("b")
        #expect(limiter.count(for: "a") == 0 && limiter.count(for: "b") == 0)
    }
}
