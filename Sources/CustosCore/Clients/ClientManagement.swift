import Foundation

/// The administrative operations on clients, behind the admin API and the CLI. Each one that
/// changes something writes its audit event in the same transaction.
public struct ClientManagement: Sendable {
    private let storage: any Storage
    private let validator: ClientMetadataValidator
    private let hasher: ClientSecretHasher
    private let sealer: KeySealer
    private let configuration: ServerConfiguration
    private let clock: any WallClock
    private let cache: ClientCache?

    public init(
        storage: any Storage,
        hasher: ClientSecretHasher,
        sealer: KeySealer,
        configuration: ServerConfiguration,
        clock: any WallClock,
        cache: ClientCache? = nil,
        supportedAuthMethods: Set<ClientAuthenticationMethod>,
        supportedGrantTypes: Set<GrantType>
    ) {
        self.cache = cache
        self.storage = storage
        self.sealer = sealer
        self.validator = ClientMetadataValidator(
            scopes: ScopeRegistry(additional: configuration.additionalScopes),
            allowsLoopbackHTTPLogout: configuration.allowsLoopbackHTTPLogout,
            outboundAddresses: OutboundAddressPolicy(allowsPrivateAddresses: configuration.allowsPrivateFetch),
            allowsLoopbackHTTPRedirects: configuration.allowsLoopbackHTTPRedirects,
            supportedAuthMethods: supportedAuthMethods,
            supportedGrantTypes: supportedGrantTypes
        )
        self.hasher = hasher
        self.configuration = configuration
        self.clock = clock
    }

    private var tenant: TenantID { configuration.tenant }

    // MARK: Clients

    public func create(_ request: ClientRegistrationRequest, by actor: AuditActor) async throws -> CreatedClient {
        let settings = try settingsForCreate(request)
        return try await insert(settings, clientID: Self.newClientID(), secretValue: nil, action: "client.create", by: actor)
    }

    /// Runs every check of `create` without storing anything: dynamic registration checks
    /// the metadata before it spends a use of its initial access token.
    public func checkCreate(_ request: ClientRegistrationRequest) throws {
        _ = try settingsForCreate(request)
    }

    private func settingsForCreate(_ request: ClientRegistrationRequest) throws -> ValidatedClient {
        if request.status != nil { throw AdminError.invalidField(field: "status", message: "cannot be set at creation") }
        // cors_origins is derived from the redirect URIs at creation; only an update may set it.
        var request = request
        request.corsOrigins = nil
        return try validator.validate(request, existing: nil)
    }

    /// Creates a client from settings that were validated elsewhere (bootstrap, clone).
    func insert(
        _ settings: ValidatedClient,
        clientID: String,
        secretValue: String?,
        action: String,
        by actor: AuditActor
    ) async throws -> CreatedClient {
        let now = clock.now
        var client = OAuthClient(
            id: ULID.make(at: now),
            tenant: tenant,
            clientID: clientID,
            metadata: settings.metadata,
            status: settings.status,
            isFirstParty: settings.isFirstParty,
            pkceRequired: settings.pkceRequired,
            createdAt: now,
            updatedAt: now
        )
        var secret: IssuedSecret?
        if client.usesSharedSecret {
            secret = makeSecret(for: client, value: secretValue ?? hasher.generate(), description: "primary", at: now)
            client.secretLastFour = secret?.record.lastFour
        }
        let audit = event(action, client: client, by: actor, status: 201, message: "client created", fields: [], at: now)
        try await storage.insert(client, secrets: secret.map { [$0.record] } ?? [], audit: audit)
        cache?.invalidate(clientID: client.clientID, tenant: tenant)
        return CreatedClient(client: client, secret: secret?.value)
    }

    public func list(nameContains: String?, status: String?, page: PageRequest) async throws -> Page<OAuthClient> {
        var statusFilter: ClientStatus?
        if let status, !status.isEmpty {
            guard let parsed = ClientStatus(rawValue: status) else {
                throw AdminError.invalidField(field: "status", message: "must be active or suspended")
            }
            statusFilter = parsed
        }
        let name = nameContains.flatMap { $0.isEmpty ? nil : $0 }
        return try await storage.clients(tenant: tenant, nameContains: name, status: statusFilter, page: page)
    }

    public func client(_ clientID: String) async throws -> OAuthClient {
        guard let client = try await storage.client(clientID: clientID, tenant: tenant) else {
            throw AdminError.notFound("client \(clientID) not found")
        }
        return client
    }

    public func update(
        _ clientID: String,
        with request: ClientRegistrationRequest,
        by actor: AuditActor
    ) async throws
        -> OAuthClient
    {
        var client = try await client(clientID)
        let before = client.validated
        let after = try validator.validate(request, existing: before)
        let changed = Self.changedFields(before, after)
        let now = clock.now
        client.validated = after
        client.updatedAt = now
        let stopsUsingSecrets = before.authMethods.contains(where: \.usesSharedSecret) && !client.usesSharedSecret
        if stopsUsingSecrets { client.secretLastFour = nil }
        let audit = event("client.update", client: client, by: actor, status: 200, message: "client updated", fields: changed, at: now)
        try await storage.update(client, deactivateSecrets: stopsUsingSecrets, audit: audit)
        cache?.invalidate(clientID: client.clientID, tenant: tenant)
        return client
    }

    public func delete(_ clientID: String, by actor: AuditActor) async throws {
        let client = try await client(clientID)
        let now = clock.now
        let audit = event("client.delete", client: client, by: actor, status: 204, message: "client deleted", fields: [], at: now)
        try await storage.delete(client, at: now, audit: audit)
        cache?.invalidate(clientID: client.clientID, tenant: tenant)
    }

    public func clone(_ clientID: String, by actor: AuditActor) async throws -> CreatedClient {
        let source = try await client(clientID)
        // `admin` is given by bootstrap alone: a clone would be an administrator made through
        // the admin API, which no request may create (rule 3).
        guard !source.scopes.contains(ScopeRegistry.adminScope) else {
            throw AdminError.badRequest("client \(clientID) holds the reserved admin scope and cannot be cloned")
        }
        var settings = source.validated
        let suffix = " (clone)"
        settings.name = String(settings.name.prefix(ClientMetadataValidator.maximumNameLength - suffix.count)) + suffix
        settings.status = .active
        return try await insert(settings, clientID: Self.newClientID(), secretValue: nil, action: "client.clone", by: actor)
    }

    // MARK: Secrets

    public func rotateSecret(_ clientID: String, by actor: AuditActor) async throws -> (client: OAuthClient, secret: IssuedSecret) {
        let client = try await clientUsingSecrets(clientID)
        let now = clock.now
        let secret = makeSecret(for: client, value: hasher.generate(), description: "rotated", at: now)
        let audit = event(
            "client.secret.rotate",
            client: client,
            by: actor,
            status: 200,
            message: "client secret rotated",
            fields: ["client_secret"],
            at: now
        )
        try await storage.rotate(to: secret.record, graceUntil: now.addingTimeInterval(configuration.rotatedSecretGracePeriod), audit: audit)
        cache?.invalidate(clientID: client.clientID, tenant: tenant)
        return (client, secret)
    }

    public func secrets(_ clientID: String) async throws -> [ClientSecretRecord] {
        let client = try await client(clientID)
        return try await storage.secrets(clientRecordID: client.id, tenant: tenant)
    }

    public func addSecret(_ clientID: String, description: String?, by actor: AuditActor) async throws -> IssuedSecret {
        let client = try await clientUsingSecrets(clientID)
        defer { cache?.invalidate(clientID: client.clientID, tenant: tenant) }
        let now = clock.now
        let secret = makeSecret(for: client, value: hasher.generate(), description: description ?? "", at: now)
        let audit = event(
            "client.secret.create",
            client: client,
            by: actor,
            status: 201,
            message: "client secret \(secret.record.id) created",
            fields: ["secrets"],
            at: now
        )
        guard try await storage.add(secret.record, maximumActive: configuration.maximumActiveSecrets, audit: audit) else {
            throw AdminError.conflict("the client already has the maximum of \(configuration.maximumActiveSecrets) active secrets")
        }
        return secret
    }

    public func deleteSecret(_ clientID: String, secretID: String, by actor: AuditActor) async throws {
        let client = try await client(clientID)
        defer { cache?.invalidate(clientID: client.clientID, tenant: tenant) }
        let audit = event(
            "client.secret.delete",
            client: client,
            by: actor,
            status: 204,
            message: "client secret \(secretID) deleted",
            fields: ["secrets"],
            at: clock.now
        )
        _ = try Self.check(try await storage.delete(secretID: secretID, clientRecordID: client.id, tenant: tenant, audit: audit))
    }

    public func deactivateSecret(_ clientID: String, secretID: String, by actor: AuditActor) async throws -> ClientSecretRecord {
        let client = try await client(clientID)
        defer { cache?.invalidate(clientID: client.clientID, tenant: tenant) }
        let now = clock.now
        let audit = event(
            "client.secret.deactivate",
            client: client,
            by: actor,
            status: 200,
            message: "client secret \(secretID) deactivated",
            fields: ["secrets"],
            at: now
        )
        return try Self.check(
            try await storage.deactivate(secretID: secretID, clientRecordID: client.id, tenant: tenant, at: now, audit: audit)
        )
    }

    // MARK: Tokens and records

    public func auditLog(_ clientID: String, page: PageRequest) async throws -> Page<AuditEvent> {
        let client = try await client(clientID)
        return try await storage.auditEvents(targetID: client.clientID, tenant: tenant, page: page)
    }

    public func statistics(_ clientID: String) async throws -> ClientTokenStatistics {
        let client = try await client(clientID)
        return try await storage.statistics(clientRecordID: client.id, tenant: tenant, at: clock.now)
    }

    public func activeTokens(_ clientID: String, page: PageRequest) async throws -> Page<IssuedToken> {
        let client = try await client(clientID)
        return try await storage.activeTokens(clientRecordID: client.id, tenant: tenant, at: clock.now, page: page)
    }

    /// Revokes every active token of the client, now or at the end of `gracePeriod` seconds.
    public func revokeTokens(_ clientID: String, gracePeriod: Int, by actor: AuditActor) async throws -> RevocationCounts {
        guard gracePeriod >= 0, gracePeriod <= 30 * 86_400 else {
            throw AdminError.invalidField(field: "grace_period", message: "must be between 0 and 2592000 seconds")
        }
        let client = try await client(clientID)
        let now = clock.now
        let audit = event(
            "client.tokens.revoke",
            client: client,
            by: actor,
            status: 200,
            message: "revoked the client's tokens with a grace period of \(gracePeriod) s",
            fields: [],
            at: now
        )
        return try await storage.revokeAll(
            clientRecordID: client.id,
            tenant: tenant,
            effectiveAt: now.addingTimeInterval(TimeInterval(gracePeriod)),
            now: now,
            audit: audit
        )
    }

    public func revokeUserTokens(_ userID: String, by actor: AuditActor) async throws -> RevocationCounts {
        let trimmed = userID.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw AdminError.invalidField(field: "user_id", message: "is required") }
        let now = clock.now
        let audit = AuditEvent(
            tenant: tenant,
            module: "oauth_token",
            action: "user.tokens.revoke",
            targetType: "user",
            targetID: trimmed,
            actor: actor,
            message: "revoked the user's tokens",
            createdAt: now
        )
        return try await storage.revokeAll(userID: trimmed, tenant: tenant, at: now, audit: audit)
    }

    // MARK: Helpers

    private func clientUsingSecrets(_ clientID: String) async throws -> OAuthClient {
        let client = try await client(clientID)
        guard client.usesSharedSecret else {
            throw AdminError.badRequest("client \(clientID) uses no client secret (its authentication methods need none)")
        }
        return client
    }

    private func makeSecret(for client: OAuthClient, value: String, description: String, at now: Date) -> IssuedSecret {
        let id = ULID.make(at: now)
        // Only client_secret_jwt needs the secret back (as its HMAC key); everyone else's is a digest alone.
        let sealed = client.authMethods.contains(.clientSecretJWT) ? try? sealer.seal(Array(value.utf8), kid: id) : nil
        return IssuedSecret(
            record: ClientSecretRecord(
                id: id,
                tenant: tenant,
                clientRecordID: client.id,
                digest: hasher.digest(value),
                lastFour: String(value.suffix(4)),
                status: .active,
                description: description,
                createdAt: now,
                updatedAt: now,
                sealedValue: sealed
            ),
            value: value
        )
    }

    private func event(
        _ action: String,
        client: OAuthClient,
        by actor: AuditActor,
        status: Int,
        message: String,
        fields: [String],
        at now: Date
    ) -> AuditEvent {
        AuditEvent(
            tenant: tenant,
            action: action,
            targetID: client.clientID,
            actor: actor,
            status: status,
            message: message,
            changedFields: fields,
            createdAt: now
        )
    }

    private static func check(_ outcome: SecretChangeOutcome) throws -> ClientSecretRecord {
        switch outcome {
        case .changed(let record): return record
        case .notFound: throw AdminError.notFound("secret not found")
        case .lastActiveSecret: throw AdminError.badRequest("cannot remove the client's last active secret")
        }
    }

    /// Public client identifiers: random, URL- and Basic-auth-safe, not guessable from the record id.
    static func newClientID() -> String {
        "cl_" + Base64URL.encode(SecureRandom.bytes(15))
    }

    /// The audit's list of changed fields, in the admin API's names: every metadata member
    /// whose encoded value differs (so a new field is listed without an edit here), then the
    /// administrator's settings.
    static func changedFields(_ before: ValidatedClient, _ after: ValidatedClient) -> [String] {
        let members = (try? ClientMetadata.changedMembers(before.metadata, after.metadata)) ?? []
        var fields = members.map(AdminClientNames.adminName(for:))
        if before.status != after.status { fields.append("status") }
        if before.isFirstParty != after.isFirstParty { fields.append("first_party") }
        if before.pkceRequired != after.pkceRequired { fields.append("require_pkce") }
        return fields
    }
}
