import Foundation
import Logging

/// The facade the HTTP layer and the CLI talk to: built once from configuration, a storage
/// backend and the master key, it holds every service with its dependencies wired.
public struct AuthorizationServer: Sendable {
    public let configuration: ServerConfiguration
    public let storage: any Storage
    public let clock: any WallClock
    public let keys: SigningKeySet
    public let clients: ClientManagement
    public let clientAuthenticator: ClientAuthenticator
    public let tokenEndpoint: TokenEndpoint
    public let authorizationEndpoint: AuthorizationEndpoint
    public let pushedAuthorization: PushedAuthorization
    public let introspector: TokenIntrospector
    public let revoker: TokenRevoker
    public let keyRotation: KeyRotation
    public let subjects: SubjectIdentifier
    public let idTokenBuilder: IDTokenBuilder
    public let userInfo: UserInfoEndpoint
    public let registration: DynamicClientRegistration
    public let registrationTokens: RegistrationTokenManagement
    public let endSession: EndSession
    public let adminAuthenticator: AdminTokenAuthenticator
    public let accountAuthenticator: AccountTokenAuthenticator
    public let bootstrap: AdminBootstrap
    public let tokenIssuer: TokenIssuer
    public let users: UserManagement
    public let passwordLogin: PasswordLogin
    public let sessions: SessionManager
    public let consents: ConsentManagement
    public let csrf: CSRFProtection
    public let rateLimiter: RateLimiter
    /// The one password hasher (and hashing pool) of this node.
    public let passwordHasher: PasswordHasher

    /// The DPoP sender constraint (RFC 9449), also asked by the PAR endpoint (`dpop_jkt`, §10).
    public let dpop: DPoPBinding
    /// The server's DPoP nonces (RFC 9449 §8), the same on every node.
    public let dpopNonces: DPoPNonces

    public init(
        configuration: ServerConfiguration,
        storage: any Storage,
        masterKey: MasterKey,
        clock: any WallClock = SystemClock(),
        jwksFetcher: any JWKSFetcher = NoJWKSFetcher(),
        logoutNotifier: any LogoutNotifier = DiscardingLogoutNotifier(),
        apiPrefix: String = "/api/v1",
        senderConstraints: [any SenderConstraint]? = nil
    ) {
        // Nodes sharing a database share their counters through it; a lone node keeps them in
        // memory and writes nothing per request.
        rateLimiter = RateLimiter(
            store: storage.isShared ? storage : InMemoryRateLimitStore(),
            clock: clock,
            tenant: configuration.tenant
        )
        self.configuration = configuration
        self.storage = storage
        self.clock = clock
        let hasher = ClientSecretHasher(key: masterKey.derive(purpose: "client-secret-digest"))
        let keySealer = KeySealer(masterKey: masterKey)
        keys = SigningKeySet(
            store: storage,
            sealer: keySealer,
            tenant: configuration.tenant,
            clock: clock,
            defaultAlgorithm: configuration.signingAlgorithm
        )
        keyRotation = KeyRotation(store: storage, keys: keys, sealer: keySealer, configuration: configuration, clock: clock)
        let secretSealer = KeySealer(masterKey: masterKey, purpose: "client-secret-encryption")
        let clientCache = ClientCache(clients: storage, secrets: storage, lifetime: configuration.clientCacheLifetime, clock: clock)
        let clientKeys = ClientKeyResolver(fetcher: jwksFetcher, clock: clock)
        let assertions = ClientAssertionVerifier(
            secrets: storage,
            replay: storage,
            keys: clientKeys,
            secretSealer: secretSealer,
            configuration: configuration,
            audiences: [
                configuration.endpoint(apiPrefix + "/oauth/token"), configuration.endpoint(apiPrefix + "/oauth/pushed-authorization"),
            ],
            clock: clock
        )
        clientAuthenticator = ClientAuthenticator(
            cache: clientCache,
            verifiers: [
                ClientSecretVerifier(cache: clientCache, secrets: storage, hasher: hasher, clock: clock),
                assertions,
                PublicClientVerifier(hasher: hasher),
                MutualTLSVerifier(keys: clientKeys),
            ],
            tenant: configuration.tenant,
            throttle: ClientAuthenticationThrottle(
                rateLimiter: rateLimiter,
                policy: RateLimitPolicy(
                    limit: configuration.clientAuthenticationFailureLimit,
                    window: configuration.clientAuthenticationFailureWindow
                ),
                clock: clock
            )
        )
        dpopNonces = DPoPNonces(key: masterKey.derive(purpose: "dpop-nonce"), clock: clock)
        let dpopProofs = DPoPProofVerifier(replay: storage, nonces: dpopNonces, configuration: configuration, clock: clock)
        dpop = DPoPBinding(verifier: dpopProofs, configuration: configuration)
        // The production sender constraints, in the order the token endpoint asks them; nil
        // takes these, a test passes its own. mTLS (RFC 8705) is added here beside DPoP.
        let productionSenderConstraints: [any SenderConstraint] = [dpop, MutualTLSBinding()]
        tokenIssuer = TokenIssuer(configuration: configuration, keys: keys, tokens: storage, users: storage, clock: clock)
        subjects = SubjectIdentifier(salt: masterKey.derive(purpose: "pairwise-subject"))
        idTokenBuilder = IDTokenBuilder(configuration: configuration, keys: keys, subjects: subjects)
        tokenEndpoint = TokenEndpoint(
            handlers: [
                ClientCredentialsGrant(issuer: tokenIssuer),
                AuthorizationCodeGrant(
                    issuer: tokenIssuer,
                    idTokens: idTokenBuilder,
                    codes: storage,
                    tokens: storage,
                    users: storage,
                    clock: clock,
                    tenant: configuration.tenant
                ),
                RefreshTokenGrant(
                    issuer: tokenIssuer,
                    subjects: subjects,
                    tokens: storage,
                    users: storage,
                    clock: clock,
                    tenant: configuration.tenant
                ),
            ],
            senderConstraints: senderConstraints ?? productionSenderConstraints,
            rateLimiter: rateLimiter,
            ratePolicy: configuration.rateLimits.tokenPerClient
        )
        // Clients may register only what can be verified and exchanged here.
        clients = ClientManagement(
            storage: storage,
            hasher: hasher,
            sealer: secretSealer,
            configuration: configuration,
            clock: clock,
            cache: clientCache,
            supportedAuthMethods: Set(clientAuthenticator.supportedMethods),
            supportedGrantTypes: Set(tokenEndpoint.supportedGrantTypes)
        )
        let consentManagement = ConsentManagement(store: storage, configuration: configuration, clock: clock)
        consents = consentManagement
        authorizationEndpoint = AuthorizationEndpoint(
            clients: storage,
            codes: storage,
            consents: storage,
            pending: storage,
            pushed: storage,
            consentManagement: consentManagement,
            requestObjects: RequestObjectResolver(
                keys: clientKeys,
                fetcher: jwksFetcher,
                replay: storage,
                configuration: configuration,
                clock: clock
            ),
            idTokenHints: JWTVerifier(keys: keys),
            idTokens: idTokenBuilder,
            jwtResponses: JWTAuthorizationResponse(keys: keys, clock: clock),
            subjects: subjects,
            configuration: configuration,
            clock: clock
        )
        pushedAuthorization = PushedAuthorization(
            endpoint: authorizationEndpoint,
            store: storage,
            dpop: dpop,
            rateLimiter: rateLimiter,
            configuration: configuration,
            clock: clock
        )
        introspector = TokenIntrospector(
            verifier: JWTVerifier(keys: keys),
            tokens: storage,
            clients: clientCache,
            users: storage,
            subjects: subjects,
            configuration: configuration,
            clock: clock
        )
        revoker = TokenRevoker(introspector: introspector, tokens: storage, tenant: configuration.tenant, clock: clock)
        let bearer = BearerTokenValidator(
            introspector: introspector,
            clients: storage,
            users: storage,
            configuration: configuration,
            clock: clock,
            dpop: dpop
        )
        adminAuthenticator = AdminTokenAuthenticator(validator: bearer)
        userInfo = UserInfoEndpoint(
            validator: bearer,
            users: storage,
            clients: storage,
            subjects: subjects,
            keys: keys,
            configuration: configuration
        )

        bootstrap = AdminBootstrap(storage: storage, management: clients, tenant: configuration.tenant)
        endSession = EndSession(
            verifier: JWTVerifier(keys: keys),
            clients: storage,
            codes: storage,
            sessions: storage,
            tokens: LogoutTokenBuilder(configuration: configuration, keys: keys, subjects: subjects),
            subjects: subjects,
            notifier: logoutNotifier,
            configuration: configuration,
            clock: clock
        )
        registration = DynamicClientRegistration(
            clients: clients,
            storage: storage,
            fetcher: jwksFetcher,
            configuration: configuration,
            clock: clock
        )
        registrationTokens = RegistrationTokenManagement(storage: storage, tenant: configuration.tenant, clock: clock)
        let passwords = PasswordHasher(
            parameters: configuration.passwordHashing,
            pool: PasswordHashingPool(threads: configuration.passwordHashingThreads, queueLimit: configuration.passwordHashingQueueLimit)
        )
        passwordHasher = passwords
        users = UserManagement(store: storage, hasher: passwords, configuration: configuration, clock: clock, endSession: endSession)
        passwordLogin = PasswordLogin(
            users: storage,
            throttle: storage,
            hasher: passwords,
            configuration: configuration,
            clock: clock,
            rateLimiter: rateLimiter
        )
        sessions = SessionManager(store: storage, users: storage, configuration: configuration, clock: clock)
        accountAuthenticator = AccountTokenAuthenticator(validator: bearer, clients: storage, sessions: sessions)
        csrf = CSRFProtection(key: masterKey.derive(purpose: "csrf"))
    }

    /// Everything a node does before it answers requests: schema, first signing key.
    public func prepare(logger: Logger) async throws {
        try await storage.migrate()
        // RS256 must exist: OpenID Connect Core §15.1 makes it the ID token default.
        // Clients may ask for ID tokens and userinfo in any supported algorithm, so each has a key.
        try await keys.ensureKeys(algorithms: SigningAlgorithm.allCases, logger: logger)
    }
}
