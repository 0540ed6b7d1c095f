import Foundation

/// The pushed authorization request endpoint (RFC 9126): an authenticated client sends its
/// authorization request straight to the server, which validates it exactly as
/// `/oauth/authorize` would (steps 1 to 7 of `AuthorizationEndpoint`, one implementation) and
/// keeps it under a one-time `request_uri` the browser then carries instead of the parameters.
///
/// `push` refuses, in order: a rate past the client's token-endpoint policy (429), a
/// `request_uri` parameter (§2.1: a pushed request cannot point at another one), a `client_id`
/// other than the authenticated client's (§2.1), then whatever the authorization endpoint would
/// refuse, each as the JSON error of §2.3 (never a redirect).
public struct PushedAuthorization: Sendable {
    /// RFC 9126 §2.2: the URN namespace of the request_uri values this server makes.
    public static let requestURIPrefix = "urn:ietf:params:oauth:request_uri:"

    private let endpoint: AuthorizationEndpoint
    private let store: any PushedAuthorizationStore
    /// RFC 9449 §10.1: a push may bind the code to a DPoP key (`dpop_jkt`, or its proof's key).
    private let dpop: DPoPBinding
    private let rateLimiter: RateLimiter?
    private let configuration: ServerConfiguration
    private let clock: any WallClock

    public init(
        endpoint: AuthorizationEndpoint,
        store: any PushedAuthorizationStore,
        dpop: DPoPBinding,
        rateLimiter: RateLimiter?,
        configuration: ServerConfiguration,
        clock: any WallClock
    ) {
        self.endpoint = endpoint
        self.store = store
        self.dpop = dpop
        self.rateLimiter = rateLimiter
        self.configuration = configuration
        self.clock = clock
    }

    /// The answer of §2.2: the handle and its lifetime in seconds.
    public struct Pushed: Sendable, Equatable, Encodable {
        public let requestURI: String
        public let expiresIn: Int

        enum CodingKeys: String, CodingKey {
            case requestURI = "request_uri"
            case expiresIn = "expires_in"
        }
    }

    /// Validates and keeps the authorization request `parameters` of `client`. A DPoP proof in
    /// `presentation` binds the future code to its key (RFC 9449 §10.1), as `dpop_jkt` does;
    /// both present and different is `invalid_dpop_proof` (security case H15).
    public func push(
        _ parameters: [String: String],
        client: AuthenticatedClient,
        presentation: RequestPresentation = RequestPresentation()
    ) async throws -> Pushed {
        let clientID = client.client.clientID
        try await rateLimiter?.admit(.pushedAuthorization, caller: clientID, policy: configuration.rateLimits.tokenPerClient)
        guard parameters["request_uri"] == nil else {
            throw OAuthError.invalidRequest("request_uri cannot be pushed (RFC 9126 §2.1)")
        }
        if let named = parameters["client_id"], named != clientID {
            throw OAuthError.invalidRequest("client_id is not the authenticated client")
        }
        // FAPI 1.0 Advanced §5.2.2 item 5: a fapi1 client's tokens are certificate-bound, so a
        // code bound to a DPoP key (RFC 9449 §10) could never be redeemed; said here, not later.
        if client.client.policy.senderConstraint == .mutualTLS && (presentation.dpopProof != nil || parameters["dpop_jkt"] != nil) {
            throw OAuthError.invalidRequest(
                "fapi_profile \(client.client.fapiProfile.rawValue) binds tokens to the client certificate (RFC 8705): send no DPoP proof or dpop_jkt"
            )
        }
        var request = parameters
        request["client_id"] = clientID
        request["dpop_jkt"] = try await dpop.pushedRequestKey(
            presentation: presentation,
            dpopJKT: parameters["dpop_jkt"],
            client: client.client
        )
        let kept: AuthorizationRequest
        switch try await endpoint.validatedForPush(AuthorizationRequest(parameters: request), client: client.client) {
        case .failure(let error): throw error
        case .success(let value): kept = value
        }
        let now = clock.now
        let (requestURI, digest) = OpaqueToken.generate(.pushedAuthorizationRequest)
        try await store.insert(
            PushedAuthorizationRequest(
                digest: digest,
                tenant: configuration.tenant,
                clientID: clientID,
                parameters: kept.parameters,
                createdAt: now,
                expiresAt: now.addingTimeInterval(configuration.pushedRequestLifetime)
            )
        )
        return Pushed(requestURI: requestURI, expiresIn: Int(configuration.pushedRequestLifetime.rounded(.down)))
    }

    /// Whether `value` is a request_uri of this endpoint's form, as opposed to a request
    /// object by reference (RFC 9101: an https URL the client registered).
    public static func isPushedRequestURI(_ value: String) -> Bool {
        value.hasPrefix(requestURIPrefix)
    }

    /// Whether `client` may start an authorization only with a pushed request: the server's
    /// setting (`CUSTOS_REQUIRE_PAR`), the client's `require_pushed_authorization_requests`
    /// (RFC 9126 §6), or a FAPI 2.0 profile (FAPI 2.0 Security Profile §5.3.2.2: requests not made
    /// through PAR are refused); FAPI 1.0 Advanced allows PAR without requiring it (§5.2.2
    /// item 11). `EffectiveClientPolicy` decides for the client.
    public static func isRequired(for client: OAuthClient, configuration: ServerConfiguration) -> Bool {
        configuration.requiresPushedAuthorizationRequests || client.policy.requiresPushedAuthorizationRequests
    }
}
