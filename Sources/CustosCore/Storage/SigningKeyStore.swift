import Foundation

/// A signing key as stored: public JWK in the clear, private key sealed under the master key.
public struct StoredSigningKey: Sendable, Equatable {
    public enum Status: String, Sendable, Codable {
        /// Published in the JWKS ahead of use.
        case next
        /// The key that signs.
        case active
        /// No longer signs; published until `retiresAt` so outstanding tokens still verify.
        case retired
    }

    public var kid: String
    public var tenant: TenantID
    public var algorithm: SigningAlgorithm
    public var publicJWK: String
    public var sealedPrivateKey: String
    public var status: Status
    public var createdAt: Date
    public var activatesAt: Date
    public var retiresAt: Date?

    public init(
        kid: String,
        tenant: TenantID,
        algorithm: SigningAlgorithm,
        publicJWK: String,
        sealedPrivateKey: String,
        status: Status,
        createdAt: Date,
        activatesAt: Date,
        retiresAt: Date? = nil
    ) {
        self.kid = kid
        self.tenant = tenant
        self.algorithm = algorithm
        self.publicJWK = publicJWK
        self.sealedPrivateKey = sealedPrivateKey
        self.status = status
        self.createdAt = createdAt
        self.activatesAt = activatesAt
        self.retiresAt = retiresAt
    }
}

extension StoredSigningKey {
    /// The stored form of a freshly generated key: public JWK in the clear, private key sealed.
    public init(
        sealing key: SigningKey,
        with sealer: KeySealer,
        tenant: TenantID,
        status: Status,
        createdAt: Date,
        activatesAt: Date
    ) throws {
        self.init(
            kid: key.kid,
            tenant: tenant,
            algorithm: key.algorithm,
            publicJWK: try SigningKeySet.jwkText(key.verificationKey),
            sealedPrivateKey: try sealer.seal(key.exportedPrivateKey(), kid: key.kid),
            status: status,
            createdAt: createdAt,
            activatesAt: activatesAt
        )
    }
}

public protocol SigningKeyStore: Sendable {
    func signingKeys(tenant: TenantID) async throws -> [StoredSigningKey]
    /// Inserts the key only if the tenant has no key of its algorithm yet; false when another node was first.
    func insertFirstKey(_ key: StoredSigningKey) async throws -> Bool
    /// Inserts the key only if no key of its algorithm is waiting to activate; false when another node was first.
    func insertPendingKey(_ key: StoredSigningKey) async throws -> Bool
    func insert(_ key: StoredSigningKey) async throws
    func update(_ key: StoredSigningKey) async throws
}
