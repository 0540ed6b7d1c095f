import Foundation

/// Rotates the signing keys (OpenID Connect Core §10.1.1): a new key is published in the
/// JWKS `announcement` ahead of use, then signs; the key it replaces stays published until
/// every token it signed has expired. `maintain` is idempotent and safe to run on every node:
/// each step is a conditional update of the shared key table.
public struct KeyRotation: Sendable {
    private let store: any SigningKeyStore
    private let keys: SigningKeySet
    private let sealer: KeySealer
    private let configuration: ServerConfiguration
    private let clock: any WallClock

    public init(store: any SigningKeyStore, keys: SigningKeySet, sealer: KeySealer, configuration: ServerConfiguration, clock: any WallClock) {
        self.store = store
        self.keys = keys
        self.sealer = sealer
        self.configuration = configuration
        self.clock = clock
    }

    /// Adds a key that starts signing after the announcement period, or at once when
    /// `immediately` (after a compromise: resource servers that cached the JWKS must refetch).
    @discardableResult
    public func rotate(algorithm: SigningAlgorithm? = nil, immediately: Bool = false) async throws -> StoredSigningKey {
        let algorithm = algorithm ?? configuration.signingAlgorithm
        let key = try SigningKey.generate(algorithm)
        let now = clock.now
        if immediately {
            // Retire the current keys explicitly rather than by activation order, so the old
            // key cannot keep signing even if both keys share an activation millisecond.
            for var current in try await store.signingKeys(tenant: configuration.tenant)
            where current.algorithm == algorithm && current.status != .retired {
                current.status = .retired
                current.retiresAt = now.addingTimeInterval(configuration.longestSignedTokenLifetime + configuration.clockLeeway)
                try await store.update(current)
            }
        }
        let stored = try StoredSigningKey(
            sealing: key,
            with: sealer,
            tenant: configuration.tenant,
            status: .next,
            createdAt: now,
            activatesAt: immediately ? now : now.addingTimeInterval(configuration.keyAnnouncementPeriod)
        )
        try await store.insert(stored)
        try await maintain()
        return stored
    }

    /// Promotes due keys, retires the keys they replace, and starts the next rotation when the
    /// signing key is older than the rotation interval; then reloads this node's key set.
    public func maintain() async throws {
        let now = clock.now
        let all = try await store.signingKeys(tenant: configuration.tenant)
        for algorithm in SigningAlgorithm.allCases {
            try await maintain(all.filter { $0.algorithm == algorithm }.sorted { $0.activatesAt < $1.activatesAt }, now: now)
        }
        try await keys.reload()
    }

    /// One algorithm's keys, oldest first.
    private func maintain(_ keys: [StoredSigningKey], now: Date) async throws {
        var stored = keys
        for index in stored.indices where stored[index].status == .next && stored[index].activatesAt <= now {
            stored[index].status = .active
            try await store.update(stored[index])
        }
        // Every active key but the newest stops signing; it stays published for the longest
        // lifetime of a token it may have signed.
        let active = stored.indices.filter { stored[$0].status == .active }
        for index in active.dropLast() {
            stored[index].status = .retired
            stored[index].retiresAt = now.addingTimeInterval(configuration.longestSignedTokenLifetime + configuration.clockLeeway)
            try await store.update(stored[index])
        }
        if configuration.keyRotationInterval > 0, let newest = active.last.map({ stored[$0] }),
            !stored.contains(where: { $0.status == .next }),
            now.timeIntervalSince(newest.activatesAt) >= configuration.keyRotationInterval - configuration.keyAnnouncementPeriod
        {
            let key = try SigningKey.generate(newest.algorithm)
            let pending = try StoredSigningKey(
                sealing: key,
                with: sealer,
                tenant: configuration.tenant,
                status: .next,
                createdAt: now,
                activatesAt: max(now, newest.activatesAt.addingTimeInterval(configuration.keyRotationInterval))
            )
            _ = try await store.insertPendingKey(pending)
        }
    }

    public func list() async throws -> [StoredSigningKey] {
        try await store.signingKeys(tenant: configuration.tenant)
    }
}
