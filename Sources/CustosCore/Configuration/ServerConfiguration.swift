import Foundation

/// Everything the protocol logic can be told, with a documented default for each field.
public struct ServerConfiguration: Sendable {
    /// The issuer identifier (RFC 8414 §2): an https URL in production; the base of every URL
    /// the server publishes. Default `http://127.0.0.1:8080`.
    public var issuer: String
    /// The tenant this node serves. Default `default`.
    public var tenant: TenantID
    /// How long an access token lives. Default 15 minutes.
    public var accessTokenLifetime: TimeInterval
    /// How long a refresh token lives. Default 30 days.
    public var refreshTokenLifetime: TimeInterval
    /// How long a rotated client secret keeps working (pinned rule 8). Default 4 hours.
    public var rotatedSecretGracePeriod: TimeInterval
    /// How many active secrets a client may hold (pinned rule 8). Default 2.
    public var maximumActiveSecrets: Int
    /// The operator's own scopes, registrable besides the OpenID Connect ones. Default none.
    public var additionalScopes: [String]
    /// Algorithm of the signing key generated at first start. Default ES256.
    public var signingAlgorithm: SigningAlgorithm
    /// Clock leeway for `exp`/`iat`/`nbf` checks (pinned rule 6). Default 10 seconds.
    public var clockLeeway: TimeInterval
    /// scrypt cost for user passwords. Default OWASP's N = 2^17, r = 8, p = 1.
    public var passwordHashing: PasswordHasher.Parameters = .owasp
    /// A browser session's absolute lifetime. Default 24 hours.
    public var sessionLifetime: TimeInterval = 86_400
    /// A browser session ends after this long unused. Default 1 hour.
    public var sessionIdleTimeout: TimeInterval = 3_600
    /// Sign-in throttling: failures per account (and per IP) within `loginFailureWindow` that
    /// lock further attempts for `loginLockDuration`. Defaults 5 per account, 20 per IP, 15 minutes.
    public var loginFailuresPerAccount = 5
    public var loginFailuresPerIP = 20
    public var loginFailureWindow: TimeInterval = 900
    public var loginLockDuration: TimeInterval = 900
    /// The delay after the `loginFailuresPerAccount`-th failure for one (account, source); it
    /// doubles with each further failure, up to `loginLockDuration`. Default 60 seconds.
    public var loginDelayBase: TimeInterval = 60
    /// Failed client authentications per (client_id, source) within `clientAuthenticationFailureWindow`
    /// before further attempts are answered 429; 0 turns it off. Default 20 per 5 minutes.
    public var clientAuthenticationFailureLimit = 20
    public var clientAuthenticationFailureWindow: TimeInterval = 300
    /// Password hashing pool: threads (`CUSTOS_PASSWORD_HASH_THREADS`, default half the cores,
    /// at least 1) and how many hashes may wait (`CUSTOS_PASSWORD_HASH_QUEUE`, default 32).
    public var passwordHashingThreads = PasswordHashingPool.defaultThreads
    public var passwordHashingQueueLimit = PasswordHashingPool.defaultQueueLimit
    /// How long a new signing key is published before it signs. Default 24 hours.
    public var keyAnnouncementPeriod: TimeInterval = 86_400
    /// How often signing keys rotate by themselves; 0 turns automatic rotation off. Default 90 days.
    public var keyRotationInterval: TimeInterval = 90 * 86_400
    /// How long a node keeps a client and its secret records for authenticating requests;
    /// changes made on other nodes take effect here within it. 0 turns the cache off. Default 5 s.
    public var clientCacheLifetime: TimeInterval = 5
    /// How often each node re-reads keys (picking up rotations made elsewhere). Default 60 s.
    public var keyRefreshInterval: TimeInterval = 60

    /// Accept `http://127.0.0.1` (loopback) back-channel logout URIs; set with
    /// `CUSTOS_ALLOW_PRIVATE_FETCH=1` (development and tests). Default false.
    public var allowsLoopbackHTTPLogout = false
    /// Let outbound requests (jwks_uri, request_uri, sector_identifier_uri, back-channel
    /// logout) go to special-use addresses, and accept such literals at registration; set with
    /// `CUSTOS_ALLOW_PRIVATE_FETCH=1` (development and tests). Default false.
    public var allowsPrivateFetch = false

    /// Let confidential clients register `http` redirect URIs on loopback IP literals (rule
    /// 14); set with `CUSTOS_ALLOW_LOOPBACK_HTTP_REDIRECTS=1` (development and tests, such as
    /// a relying party on `http://127.0.0.1:<port>`). Public native clients may always.
    /// Default false: confidential clients register `https` only.
    public var allowsLoopbackHTTPRedirects = false

    /// RFC 9126 §5 `require_pushed_authorization_requests`: every client must push its
    /// authorization requests (`CUSTOS_REQUIRE_PAR=1`). Default false: only clients that
    /// registered the member, and FAPI clients, must.
    public var requiresPushedAuthorizationRequests = false
    /// How long a pushed request's `request_uri` is valid (RFC 9126 §2.2 `expires_in`). 60 s.
    public var pushedRequestLifetime: TimeInterval = 60

    /// RFC 9449 §8 server nonces: `.required` makes every DPoP proof carry one
    /// (`CUSTOS_DPOP_NONCE=required`); `.optional` (the default) requires one only from FAPI
    /// clients. A nonce that is present is always checked.
    public var dpopNonce: DPoPNoncePolicy = .optional

    /// RFC 9396 §10 `authorization_details_types_supported`: the operator's authorization
    /// details types (`CUSTOS_AUTHORIZATION_DETAILS_TYPES`, comma or space separated), listed
    /// in discovery beside the types clients registered. Default none.
    public var authorizationDetailsTypes: [String] = []

    /// Request rate limits (answered with 429 and `Retry-After`).
    public var rateLimits = RateLimits()

    /// Dynamic client registration (RFC 7591): on by default, open or behind an initial access
    /// token, 10 registrations per hour per address.
    public var dynamicRegistration = DynamicRegistrationPolicy()

    /// The longest lifetime of anything Custos signs (access and ID tokens): how long a
    /// retired key stays published.
    public var longestSignedTokenLifetime: TimeInterval { max(accessTokenLifetime, 3_600) }

    public init(
        issuer: String = "http://127.0.0.1:8080",
        tenant: TenantID = .default,
        accessTokenLifetime: TimeInterval = 900,
        refreshTokenLifetime: TimeInterval = 30 * 86_400,
        rotatedSecretGracePeriod: TimeInterval = 4 * 3_600,
        maximumActiveSecrets: Int = 2,
        additionalScopes: [String] = [],
        signingAlgorithm: SigningAlgorithm = .ES256,
        clockLeeway: TimeInterval = 10
    ) {
        self.issuer = issuer
        self.tenant = tenant
        self.accessTokenLifetime = accessTokenLifetime
        self.refreshTokenLifetime = refreshTokenLifetime
        self.rotatedSecretGracePeriod = rotatedSecretGracePeriod
        self.maximumActiveSecrets = maximumActiveSecrets
        self.additionalScopes = additionalScopes
        self.signingAlgorithm = signingAlgorithm
        self.clockLeeway = clockLeeway
    }

    /// The URL of an endpoint under the issuer, e.g. `endpoint("/api/v1/oauth/token")`.
    public func endpoint(_ path: String) -> String {
        (issuer.hasSuffix("/") ? String(issuer.dropLast()) : issuer) + path
    }
}

/// When a DPoP proof must carry a server nonce (RFC 9449 §8).
public enum DPoPNoncePolicy: String, Sendable {
    /// Only from FAPI clients; other clients may send one, and it is then checked.
    case optional
    /// From every client.
    case required
}

public struct DynamicRegistrationPolicy: Sendable {
    public var enabled = true
    /// When set, `POST /oauth/register` requires it as a bearer token.
    public var initialAccessToken: String?
    /// `CUSTOS_REGISTRATION=token`: a registration needs an initial access token, the static
    /// one or an administrator's registration token, even when `initialAccessToken` is unset.
    public var requiresInitialAccessToken = false
    public var registrationsPerHourPerIP = 10
    public init() {}
}

/// Request rates per caller. The defaults stop scripted abuse without touching normal use: a
/// client that caches its tokens asks for a few per minute, a person signs in a few times.
public struct RateLimits: Sendable {
    /// Token requests per authenticated client. Default 6,000 per minute (100 per second).
    public var tokenPerClient = RateLimitPolicy(limit: 6_000, window: 60)
    /// Sign-in form submissions per IP address, successful or not. Default 60 per minute.
    public var loginPerIP = RateLimitPolicy(limit: 60, window: 60)
    public init() {}
}
