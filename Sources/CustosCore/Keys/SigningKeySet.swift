import Foundation
import Logging
import Synchronization

/// The keys this node signs and verifies with, loaded from the `SigningKeyStore` and kept in
/// memory so that no request reads the database for a key.
///
/// jwt-kit pitfall avoided by construction: keys are looked up by `kid` only, and an unknown
/// `kid` is an error, never a fallback to some default key.
public final class SigningKeySet: Sendable {
    struct Snapshot: Sendable {
        var signers: [SigningAlgorithm: SigningKey] = [:]
        var verifiers: [String: VerificationKey] = [:]
        var published: [VerificationKey] = []
    }

    private let store: any SigningKeyStore
    private let sealer: KeySealer
    private let tenant: TenantID
    private let clock: any WallClock
    private let defaultAlgorithm: SigningAlgorithm
    private let snapshot = Mutex(Snapshot())

    public init(
        store: any SigningKeyStore,
        sealer: KeySealer,
        tenant: TenantID,
        clock: any WallClock,
        defaultAlgorithm: SigningAlgorithm = .ES256
    ) {
        self.store = store
        self.defaultAlgorithm = defaultAlgorithm
        self.sealer = sealer
        self.tenant = tenant
        self.clock = clock
    }

    /// The key that signs access tokens now (the configured algorithm).
    public var signer: SigningKey {
        get throws { try signer(for: defaultAlgorithm) }
    }

    /// The key that signs with `algorithm` now (ID tokens use the client's registered one).
    public func signer(for algorithm: SigningAlgorithm) throws -> SigningKey {
        guard let signer = snapshot.withLock({ $0.signers[algorithm] }) else { throw NoSigningKey() }
        return signer
    }

    /// Algorithms a signing key exists for.
    public var signingAlgorithms: [SigningAlgorithm] {
        snapshot.withLock { snapshot in SigningAlgorithm.allCases.filter { snapshot.signers[$0] != nil } }
    }

    public func verificationKey(kid: String) -> VerificationKey? {
        snapshot.withLock { $0.verifiers[kid] }
    }

    /// Public keys to publish at the JWKS endpoint: next, active, and retired until they expire.
    public var publishedKeys: [VerificationKey] {
        snapshot.withLock { $0.published }
    }

    /// Creates a first key for each algorithm that has none (safe when several nodes start at
    /// once), then loads every key.
    public func ensureKeys(algorithms: [SigningAlgorithm], logger: Logger) async throws {
        let existing = Set(try await store.signingKeys(tenant: tenant).map(\.algorithm))
        for algorithm in algorithms where !existing.contains(algorithm) {
            let key = try SigningKey.generate(algorithm)
            let now = clock.now
            let stored = try StoredSigningKey(
                sealing: key,
                with: sealer,
                tenant: tenant,
                status: .active,
                createdAt: now,
                activatesAt: now
            )
            if try await store.insertFirstKey(stored) {
                logger.info("generated the first signing key", metadata: ["kid": "\(key.kid)", "alg": "\(algorithm.rawValue)"])
            }
        }
        try await reload()
    }

    /// Re-reads the keys from the store: picks up keys rotated on another node.
    public func reload() async throws {
        let now = clock.now
        // Oldest first, so the newest active key is the one left as signer.
        let stored = try await store.signingKeys(tenant: tenant).sorted { $0.activatesAt < $1.activatesAt }
        var next = Snapshot()
        for record in stored {
            if record.status == .retired, let retiresAt = record.retiresAt, retiresAt <= now { continue }
            let key = try SigningKey(algorithm: record.algorithm, privateKey: sealer.open(record.sealedPrivateKey, kid: record.kid))
            next.verifiers[key.kid] = key.verificationKey
            next.published.append(key.verificationKey)
            // A pending key whose time has come signs even before `KeyRotation.maintain` marks
            // it active, so every node switches at the announced moment.
            if record.status != .retired, record.activatesAt <= now {
                next.signers[record.algorithm] = key
            }
        }
        snapshot.withLock { $0 = next }
    }

    static func jwkText(_ key: VerificationKey) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: key.jwk, options: [.sortedKeys]), as: UTF8.self)
    }

    public struct NoSigningKey: Error {}
}
