/// client_secret_basic and client_secret_post (RFC 6749 §2.3.1): the secret is compared with
/// each secret record the client may use now, as a keyed digest in constant time.
public struct ClientSecretVerifier: ClientAuthenticationVerifier {
    public static let supportedMethods: Set<ClientAuthenticationMethod> = [.clientSecretBasic, .clientSecretPost]

    private let cache: ClientCache
    private let secrets: any ClientSecretStore
    private let hasher: ClientSecretHasher
    private let clock: any WallClock

    public init(cache: ClientCache, secrets: any ClientSecretStore, hasher: ClientSecretHasher, clock: any WallClock) {
        self.cache = cache
        self.secrets = secrets
        self.hasher = hasher
        self.clock = clock
    }

    public var methods: Set<ClientAuthenticationMethod> { Self.supportedMethods }

    public func presents(_ presentation: RequestPresentation) -> Bool {
        presentation.credentials.basic != nil || presentation.credentials.bodySecret != nil
    }

    public func claimedClientID(in presentation: RequestPresentation) throws -> String {
        let presented = presentation.credentials
        if let basic = presented.basic {
            if let bodyID = presented.bodyClientID, bodyID != basic.id {
                throw OAuthError.invalidRequest("client_id in the body differs from the authenticated client")
            }
            return basic.id
        }
        guard let bodyID = presented.bodyClientID else { throw OAuthError.invalidClient("client_id is required") }
        return bodyID
    }

    public func verify(_ presentation: RequestPresentation, for client: OAuthClient) async throws -> ClientAuthenticationMethod {
        let (method, secret) = Self.method(presentation.credentials)
        guard client.authMethods.contains(method) else { throw refusal(for: presentation) }
        let now = clock.now
        let candidates = try await cache.secrets(of: client).filter { $0.accepts(at: now) }
        var matched: ClientSecretRecord?
        for candidate in candidates where hasher.matches(secret, digest: candidate.digest) {
            matched = candidate
        }
        guard let matched else {
            throw OAuthError(.invalidClient, "client authentication failed", detail: "the secret matches none of the client's active secrets")
        }
        // last_used_at is kept to the minute: skip the write (on the token endpoint's hot
        // path) when the record already shows a use within the last minute.
        // Bookkeeping, not a condition of the answer: written in the background, so a slow
        // or unreachable database does not hold the request a second time.
        if cache.shouldRecordUse(ofSecret: matched.id, lastRecorded: matched.lastUsedAt, at: now) {
            let secrets = self.secrets
            Task { try? await secrets.markUsed(secretID: matched.id, at: now) }
        }
        return method
    }

    public func refusal(for presentation: RequestPresentation) -> OAuthError {
        // Spend the same digest work as a real check so timing does not reveal which step failed.
        _ = hasher.matches(Self.method(presentation.credentials).secret, digest: "")
        return OAuthError.invalidClient()
    }

    private static func method(_ presented: PresentedClientCredentials) -> (method: ClientAuthenticationMethod, secret: String) {
        if let basic = presented.basic { return (.clientSecretBasic, basic.secret) }
        return (.clientSecretPost, presented.bodySecret ?? "")
    }
}
