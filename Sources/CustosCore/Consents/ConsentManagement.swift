import Foundation

/// Records and withdraws consents. Withdrawing one revokes every token the client holds for
/// the user, in the same transaction.
public struct ConsentManagement: Sendable {
    private let store: any ConsentStore
    private let configuration: ServerConfiguration
    private let clock: any WallClock

    public init(store: any ConsentStore, configuration: ServerConfiguration, clock: any WallClock) {
        self.store = store
        self.configuration = configuration
        self.clock = clock
    }

    public func grant(userID: String, clientID: String, scopes: [String], claims: Set<String> = []) async throws -> Consent {
        let now = clock.now
        return try await store.grant(
            Consent(
                id: ULID.make(at: now),
                tenant: configuration.tenant,
                userID: userID,
                clientID: clientID,
                scopes: Array(Set(scopes)).sorted(),
                claims: claims.sorted(),
                createdAt: now,
                updatedAt: now
            )
        )
    }

    public func consent(userID: String, clientID: String) async throws -> Consent? {
        try await store.consent(userID: userID, clientID: clientID, tenant: configuration.tenant)
    }

    public func consents(userID: String) async throws -> [Consent] {
        try await store.consents(userID: userID, tenant: configuration.tenant)
    }

    /// Withdraws the user's consent `id`; unknown ids and other users' consents are not found.
    public func withdraw(id: String, userID: String) async throws {
        guard try await store.withdraw(id: id, userID: userID, tenant: configuration.tenant, at: clock.now) else {
            throw AdminError.notFound("consent not found")
        }
    }
}
