import Foundation

/// The administrator's operations on registration tokens (rule 3), behind the admin API and
/// the CLI. A token is answered once, at creation; afterwards only its policy and counters.
public struct RegistrationTokenManagement: Sendable {
    public static let defaultLifetime = 86_400
    public static let maximumLifetime = 366 * 86_400
    public static let maximumUses = 1_000_000

    private let storage: any Storage
    private let tenant: TenantID
    private let clock: any WallClock

    public init(storage: any Storage, tenant: TenantID, clock: any WallClock) {
        self.storage = storage
        self.tenant = tenant
        self.clock = clock
    }

    /// What an administrator asks for; nil fields take the defaults of an anonymous
    /// registration (standard scopes, browser grants) and a lifetime of one day.
    public struct Request: Sendable, Equatable {
        public var scopes: [String]?
        public var grantTypes: [String]?
        public var expiresIn: Int?
        public var maxUses: Int?
        public init(scopes: [String]? = nil, grantTypes: [String]? = nil, expiresIn: Int? = nil, maxUses: Int? = nil) {
            self.scopes = scopes
            self.grantTypes = grantTypes
            self.expiresIn = expiresIn
            self.maxUses = maxUses
        }
    }

    public struct Created: Sendable {
        public let record: RegistrationToken
        /// The token itself; nowhere else, ever.
        public let token: String
    }

    public func create(_ request: Request, by actor: AuditActor) async throws -> Created {
        let policy = try Self.policy(scopes: request.scopes, grantTypes: request.grantTypes)
        let lifetime = request.expiresIn ?? Self.defaultLifetime
        guard (60...Self.maximumLifetime).contains(lifetime) else {
            throw AdminError.invalidField(field: "expires_in", message: "must be between 60 and \(Self.maximumLifetime) seconds")
        }
        if let uses = request.maxUses, !(1...Self.maximumUses).contains(uses) {
            throw AdminError.invalidField(field: "max_uses", message: "must be between 1 and \(Self.maximumUses)")
        }
        let now = clock.now
        let token = OpaqueToken.make(.initialAccessToken)
        let record = RegistrationToken(
            id: ULID.make(at: now),
            tenant: tenant,
            digest: OpaqueToken.digest(token),
            policy: policy,
            expiresAt: now.addingTimeInterval(TimeInterval(lifetime)),
            maxUses: request.maxUses,
            uses: 0,
            createdAt: now
        )
        try await storage.insertRegistrationToken(
            record,
            audit: event("registration_token.create", id: record.id, by: actor, status: 201, message: "registration token created", at: now)
        )
        return Created(record: record, token: token)
    }

    public func list(page: PageRequest) async throws -> Page<RegistrationToken> {
        try await storage.registrationTokens(tenant: tenant, page: page)
    }

    public func delete(_ id: String, by actor: AuditActor) async throws {
        let audit = event("registration_token.delete", id: id, by: actor, status: 204, message: "registration token deleted", at: clock.now)
        guard try await storage.deleteRegistrationToken(id: id, tenant: tenant, audit: audit) else {
            throw AdminError.notFound("registration token \(id) not found")
        }
    }

    /// A policy's scopes follow the admin API's rule (RFC 6749 §3.3 syntax, not reserved:
    /// `account` is for first-party clients, which registration never makes); its grant
    /// types are the ones a client may register.
    static func policy(scopes: [String]?, grantTypes: [String]?) throws(AdminError) -> RegistrationPolicy {
        let registry = ScopeRegistry()
        var policy = RegistrationPolicy.standard
        if let scopes {
            guard !scopes.isEmpty else { throw .invalidField(field: "scopes", message: "must not be empty") }
            for scope in scopes {
                if let problem = registry.registrationProblem(scope, firstParty: false) {
                    throw .invalidField(field: "scopes", message: problem)
                }
            }
            policy.scopes = ClientMetadataValidator.deduplicated(scopes)
        }
        if let grantTypes {
            guard !grantTypes.isEmpty else { throw .invalidField(field: "grant_types", message: "must not be empty") }
            var parsed: [GrantType] = []
            for value in grantTypes {
                guard let grant = GrantType(rawValue: value) else {
                    throw .invalidField(field: "grant_types", message: "unknown or unsupported grant type \"\(value)\"")
                }
                parsed.append(grant)
            }
            policy.grantTypes = ClientMetadataValidator.deduplicated(parsed)
        }
        return policy
    }

    private func event(_ action: String, id: String, by actor: AuditActor, status: Int, message: String, at now: Date) -> AuditEvent {
        AuditEvent(
            tenant: tenant,
            module: "oauth_registration",
            action: action,
            targetType: "registration_token",
            targetID: id,
            actor: actor,
            status: status,
            message: message,
            createdAt: now
        )
    }
}
