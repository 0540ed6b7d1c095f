import Foundation

/// Decides who the calling client is. The steps, in order:
/// 1. refuse more than one mechanism in a request (RFC 6749 §2.3);
/// 2. derive the method from what was presented;
/// 3. load the client, refusing unknown, deleted and suspended ones alike;
/// 4. refuse a method the client did not register;
/// 5. verify the secret against each secret the client may use now, in constant time, or
///    hand a client assertion to `ClientAssertionVerifier`.
/// Every failure is the same `invalid_client`, so the answer tells an attacker nothing.
public struct ClientAuthenticator: Sendable {
    private let cache: ClientCache
    private let secrets: any ClientSecretStore
    private let hasher: ClientSecretHasher
    private let assertions: ClientAssertionVerifier
    private let tenant: TenantID
    private let clock: any WallClock
    private let throttle: ClientAuthenticationThrottle?

    public init(
        cache: ClientCache,
        secrets: any ClientSecretStore,
        hasher: ClientSecretHasher,
        assertions: ClientAssertionVerifier,
        tenant: TenantID,
        clock: any WallClock,
        throttle: ClientAuthenticationThrottle? = nil
    ) {
        self.throttle = throttle
        self.cache = cache
        self.assertions = assertions
        self.secrets = secrets
        self.hasher = hasher
        self.tenant = tenant
        self.clock = clock
    }

    /// Authenticates the client, throttled per (claimed client_id, `source`): throws
    /// `RateLimited` without checking anything when that pair failed too often recently.
    public func authenticate(_ presented: PresentedClientCredentials, source: ClientAddress) async throws -> AuthenticatedClient {
        guard let throttle else { return try await authenticate(presented) }
        let claimedID = presented.basic?.id ?? presented.bodyClientID ?? ""
        try throttle.check(clientID: claimedID, source: source)
        do {
            return try await authenticate(presented)
        } catch let error as OAuthError where error.code == .invalidClient {
            try await throttle.recordFailure(clientID: claimedID, source: source)
            throw error
        }
    }

    private func authenticate(_ presented: PresentedClientCredentials) async throws -> AuthenticatedClient {
        if presented.assertion != nil || presented.assertionType != nil {
            guard presented.basic == nil, presented.bodySecret == nil else {
                throw OAuthError.invalidRequest("use only one client authentication method per request")
            }
            guard presented.assertionType == ClientAssertionVerifier.assertionType, let assertion = presented.assertion else {
                throw OAuthError.invalidClient("client_assertion_type must be \(ClientAssertionVerifier.assertionType)")
            }
            return try await assertions.verify(assertion, expectedClientID: presented.bodyClientID)
        }
        let clientID: String
        let method: ClientAuthenticationMethod
        let secret: String?
        switch (presented.basic, presented.bodySecret) {
        case (.some, .some):
            throw OAuthError.invalidRequest("use only one client authentication method per request")
        case (.some(let basic), nil):
            if let bodyID = presented.bodyClientID, bodyID != basic.id {
                throw OAuthError.invalidRequest("client_id in the body differs from the authenticated client")
            }
            (clientID, method, secret) = (basic.id, .clientSecretBasic, basic.secret)
        case (nil, .some(let bodySecret)):
            guard let bodyID = presented.bodyClientID else { throw OAuthError.invalidClient("client_id is required") }
            (clientID, method, secret) = (bodyID, .clientSecretPost, bodySecret)
        case (nil, nil):
            guard let bodyID = presented.bodyClientID else { throw OAuthError.invalidClient("client authentication is required") }
            (clientID, method, secret) = (bodyID, .none, nil)
        }

        guard let client = try await cache.client(clientID: clientID, tenant: tenant), client.status == .active,
            client.authMethods.contains(method)
        else {
            // Spend the same digest work as a real check so timing does not reveal which step failed.
            _ = hasher.matches(secret ?? "", digest: "")
            throw OAuthError.invalidClient()
        }
        if let secret {
            let now = clock.now
            let candidates = try await cache.secrets(of: client).filter { $0.accepts(at: now) }
            var matched: ClientSecretRecord?
            for candidate in candidates where hasher.matches(secret, digest: candidate.digest) {
                matched = candidate
            }
            guard let matched else { throw OAuthError.invalidClient() }
            // last_used_at is kept to the minute: skip the write (on the token endpoint's hot
            // path) when the record already shows a use within the last minute.
            // Bookkeeping, not a condition of the answer: written in the background, so a slow
            // or unreachable database does not hold the request a second time.
            if cache.shouldRecordUse(ofSecret: matched.id, lastRecorded: matched.lastUsedAt, at: now) {
                let secrets = self.secrets
                Task { try? await secrets.markUsed(secretID: matched.id, at: now) }
            }
        }
        return AuthenticatedClient(client: client, method: method)
    }
}
