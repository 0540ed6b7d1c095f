import Foundation

/// Dynamic client registration (RFC 7591) and its management protocol (RFC 7592). Registered
/// clients are ordinary clients: the same validation, the same admin API. Each gets a
/// registration access token, stored as a digest, for reading, replacing and deleting its
/// registration.
public struct DynamicClientRegistration: Sendable {
    public static let actor = AuditActor(type: "registration", id: "dcr")

    private let clients: ClientManagement
    private let storage: any Storage
    private let fetcher: any JWKSFetcher
    private let configuration: ServerConfiguration
    private let clock: any WallClock

    public init(
        clients: ClientManagement,
        storage: any Storage,
        fetcher: any JWKSFetcher,
        configuration: ServerConfiguration,
        clock: any WallClock
    ) {
        self.fetcher = fetcher
        self.clients = clients
        self.storage = storage
        self.configuration = configuration
        self.clock = clock
    }

    /// A failure in RFC 7591 §3.2.2 terms.
    public struct Registered: Sendable {
        public let client: OAuthClient
        public let secret: String?
        public let registrationAccessToken: String?
    }

    /// RFC 7591 §3: checks who may register (open, or with an initial access token) and
    /// with which policy, the per-address rate, then creates the client. The metadata is
    /// checked in full before a use of the token is counted, so a rejected registration
    /// spends nothing.
    public func register(_ metadata: RegistrationMetadata, initialAccessToken: String?, ip: String) async throws -> Registered {
        guard configuration.dynamicRegistration.enabled else { throw AccessDenied.forbidden("dynamic registration is disabled") }
        let grant = try await policy(for: initialAccessToken)
        // A sliding hour counted in the shared failure table (one row per registration), not the
        // fixed-window `RateLimiter`: at ten an hour, a window boundary would double the burst.
        let now = clock.now
        let key = "registration:ip:" + ip
        let recent = try await storage.failures(key: key, tenant: configuration.tenant, since: now.addingTimeInterval(-3_600))
        guard recent < configuration.dynamicRegistration.registrationsPerHourPerIP else { throw RateLimited(retryAfter: 3_600) }
        try await storage.recordFailure(key: key, tenant: configuration.tenant, at: now)

        var request = try Self.request(from: metadata, policy: grant.policy)
        try await checkSectorIdentifier(metadata)
        let token = OpaqueToken.make(.registrationAccessToken)
        request.openID?.registrationAccessTokenDigest = OpaqueToken.digest(token)
        do {
            try clients.checkCreate(request)
            if let digest = grant.storedTokenDigest {
                guard try await storage.useRegistrationToken(digest: digest, tenant: configuration.tenant, at: clock.now) != nil else {
                    throw AccessDenied.unauthenticated("the initial access token has expired or is used up")
                }
            }
            let created = try await clients.create(request, by: Self.actor)
            return Registered(client: created.client, secret: created.secret, registrationAccessToken: token)
        } catch let error as AdminError {
            throw Self.failure(error)
        }
    }

    /// Who registers, and what they may get: nobody in particular (open registration) or the
    /// holder of the static token get the standard policy; the holder of an administrator's
    /// registration token gets that token's policy. A token that is presented must be valid
    /// even where registration is open: a wrong one is a mistake to report, not ignore.
    private func policy(for presented: String?) async throws -> (policy: RegistrationPolicy, storedTokenDigest: String?) {
        let required = configuration.dynamicRegistration.initialAccessToken
        guard let presented, !presented.isEmpty else {
            guard required == nil && !configuration.dynamicRegistration.requiresInitialAccessToken else {
                throw AccessDenied.unauthenticated("an initial access token is required")
            }
            return (.standard, nil)
        }
        let digest = OpaqueToken.digest(presented)
        if let required, ConstantTimeComparison.equals(Array(digest.utf8), Array(OpaqueToken.digest(required).utf8)) {
            return (.standard, nil)
        }
        // Looked up by the digest of a 256-bit random value: the lookup itself reveals nothing.
        guard let stored = try await storage.registrationToken(digest: digest, tenant: configuration.tenant),
            stored.isUsable(at: clock.now)
        else { throw AccessDenied.unauthenticated("the initial access token is invalid, expired or used up") }
        return (stored.policy, digest)
    }

    /// RFC 7592 §2.1.
    public func read(clientID: String, registrationAccessToken: String?) async throws -> OAuthClient {
        try await authorized(clientID: clientID, token: registrationAccessToken)
    }

    /// RFC 7592 §2.2: the request replaces the registration; omitted fields take their defaults.
    /// The client keeps its id, secret and registration access token.
    public func replace(
        clientID: String,
        registrationAccessToken: String?,
        with metadata: RegistrationMetadata
    ) async throws
        -> OAuthClient
    {
        let client = try await authorized(clientID: clientID, token: registrationAccessToken)
        // A registrant may hold itself to a profile, never out of the one it is held to.
        if let requested = metadata.fapiProfile, client.fapiProfile != .none, requested != client.fapiProfile.rawValue {
            throw OAuthError(
                .invalidClientMetadata,
                "fapi_profile: the client is held to \(client.fapiProfile.rawValue); registration cannot change it"
            )
        }
        // The initial token's policy is not kept with the client: an update may keep what the
        // client holds and what anyone may register, nothing more.
        var request = try Self.request(from: metadata, policy: RegistrationPolicy.standard.widened(by: client))
        try await checkSectorIdentifier(metadata)
        request.openID?.registrationAccessTokenDigest = client.openID.registrationAccessTokenDigest
        request.logoURL = request.logoURL ?? ""
        request.website = request.website ?? ""
        request.privacyPolicy = request.privacyPolicy ?? ""
        request.termsURL = request.termsURL ?? ""
        request.jwks = request.jwks ?? ""
        request.jwksURI = request.jwksURI ?? ""
        do {
            return try await clients.update(clientID, with: request, by: Self.actor)
        } catch let error as AdminError {
            throw Self.failure(error)
        }
    }

    /// RFC 7592 §2.3.
    public func delete(clientID: String, registrationAccessToken: String?) async throws {
        _ = try await authorized(clientID: clientID, token: registrationAccessToken)
        try await clients.delete(clientID, by: Self.actor)
    }

    /// OpenID Connect Registration §5: the sector identifier URI holds a JSON array that must
    /// list every redirect URI of the client.
    private func checkSectorIdentifier(_ metadata: RegistrationMetadata) async throws {
        guard let uri = metadata.metadata.sectorIdentifierURI else { return }
        guard uri.hasPrefix("https://") else {
            throw OAuthError(.invalidClientMetadata, "sector_identifier_uri must be an https URL")
        }
        // Refused before anything is sent: a special-use literal (rule 13 of the authorization
        // boundaries); the fetcher checks every resolved address of a name again.
        if let problem = OutboundAddressPolicy(allowsPrivateAddresses: configuration.allowsPrivateFetch).registrationProblem(uri) {
            throw OAuthError(.invalidClientMetadata, "sector_identifier_uri: \(problem)")
        }
        let listed: [String]
        do {
            let text = try await fetcher.fetch(uri)
            guard let array = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String] else { throw OAuthError(.invalidClientMetadata) }
            listed = array
        } catch let failure as OutboundFetchFailure {
            // Unreachable, slow, too large or refused: the client's metadata is at fault (RFC 7591
            // §3.2.2), a 400 within the fetch timeout, never a 500.
            throw OAuthError(.invalidClientMetadata, "sector_identifier_uri: \(failure)")
        } catch {
            throw OAuthError(.invalidClientMetadata, "sector_identifier_uri must serve a JSON array of redirect URIs")
        }
        guard Set(metadata.metadata.redirectURIs).isSubset(of: listed) else {
            throw OAuthError(.invalidClientMetadata, "sector_identifier_uri does not list every redirect URI")
        }
    }

    private func authorized(clientID: String, token: String?) async throws -> OAuthClient {
        // One answer for a wrong token and an unknown client (RFC 7592 §2.1: 401).
        guard let token, let client = try await storage.client(clientID: clientID, tenant: configuration.tenant),
            let digest = client.openID.registrationAccessTokenDigest,
            ConstantTimeComparison.equals(Array(OpaqueToken.digest(token).utf8), Array(digest.utf8))
        else { throw AccessDenied.unauthenticated("the registration access token is invalid") }
        return client
    }

    /// The admin request for the metadata, within `policy` (rule 3). `first_party` and
    /// `require_pkce` are not registration metadata: they keep their defaults (create) or the
    /// administrator's values (update).
    static func request(from registration: RegistrationMetadata, policy: RegistrationPolicy) throws -> ClientRegistrationRequest {
        let metadata = registration.metadata
        let method = registration.tokenEndpointAuthMethod ?? ClientAuthenticationMethod.clientSecretBasic.rawValue
        let responseTypes = registration.responseTypes ?? ["code"]
        guard responseTypes.allSatisfy({ $0 == "code" }) else {
            throw OAuthError(.invalidClientMetadata, "response_types: only code is supported")
        }
        let grantTypes = registration.carries(.grantTypes) ? metadata.grantTypes.map(\.rawValue) : [GrantType.authorizationCode.rawValue]
        if grantTypes.contains(GrantType.authorizationCode.rawValue) && !responseTypes.contains("code") {
            throw OAuthError(.invalidClientMetadata, "grant_types and response_types are inconsistent")
        }
        // A registration without `scope` may use every scope its policy allows (without a
        // policy the standard OpenID scopes, OpenID Connect Core §5.4): relying parties
        // register first and ask for profile or email later.
        var scopes = policy.scopes
        if registration.carries(.scopes) {
            guard let parsed = ScopeSyntax.parse(metadata.scopes.joined(separator: " ")) else {
                throw OAuthError(.invalidClientMetadata, "scope: malformed")
            }
            scopes = parsed
        }
        if let problem = policy.problem(scopes: scopes, grantTypes: grantTypes) {
            throw OAuthError(.invalidClientMetadata, problem)
        }
        return ClientRegistrationRequest(
            name: registration.carries(.name) ? metadata.name : "Dynamically registered client",
            redirectURIs: metadata.redirectURIs,
            clientAuthMethods: [method],
            fapiProfile: registration.fapiProfile,
            grantTypes: grantTypes,
            isConfidential: method != ClientAuthenticationMethod.none.rawValue,
            jwks: metadata.jwks,
            jwksURI: metadata.jwksURI,
            logoURL: metadata.logoURL,
            privacyPolicy: metadata.privacyPolicy,
            scopes: scopes,
            termsURL: metadata.termsURL,
            website: metadata.website,
            openID: metadata
        )
    }

    /// A field the validator names (in the admin API's terms) as RFC 7591 names it, for error
    /// descriptions: the shared rename table, and the singular `token_endpoint_auth_method`
    /// that registration carries (RFC 7591 §2).
    static func registrationName(_ field: String) -> String {
        let wire = AdminClientNames.wireName(for: field)
        return wire == ClientMetadata.CodingKeys.authMethods.rawValue ? "token_endpoint_auth_method" : wire
    }

    static func failure(_ error: AdminError) -> OAuthError {
        switch error {
        case .invalidField(let field, let message):
            let code: OAuthError.Code =
                field.hasPrefix("redirect_uris") || field.hasPrefix("post_logout_redirect_uris") ? .invalidRedirectURI : .invalidClientMetadata
            return OAuthError(code, "\(registrationName(field)): \(message)")
        default:
            return OAuthError(.invalidClientMetadata, error.message)
        }
    }
}
