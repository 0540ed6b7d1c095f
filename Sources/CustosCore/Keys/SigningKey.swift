import Crypto
import CryptoExtras
import Foundation

/// A private signing key with its public JWK. The `kid` is the key's RFC 7638 thumbprint,
/// so it is stable, unique and derived rather than chosen.
public struct SigningKey: Sendable {
    enum Material: Sendable {
        case p256(P256.Signing.PrivateKey)
        case rsa(_RSA.Signing.PrivateKey)
        case ed25519(Curve25519.Signing.PrivateKey)
    }

    public let kid: String
    public let algorithm: SigningAlgorithm
    let material: Material
    public let verificationKey: VerificationKey

    public static func generate(_ algorithm: SigningAlgorithm) throws -> SigningKey {
        switch algorithm {
        case .ES256: try SigningKey(algorithm: algorithm, material: .p256(P256.Signing.PrivateKey()))
        case .RS256, .PS256: try SigningKey(algorithm: algorithm, material: .rsa(_RSA.Signing.PrivateKey(keySize: .bits2048)))
        case .EdDSA: try SigningKey(algorithm: algorithm, material: .ed25519(Curve25519.Signing.PrivateKey()))
        }
    }

    /// Rebuilds a key from `exportedPrivateKey()`'s bytes.
    public init(algorithm: SigningAlgorithm, privateKey bytes: [UInt8]) throws {
        switch algorithm {
        case .ES256: try self.init(algorithm: algorithm, material: .p256(P256.Signing.PrivateKey(rawRepresentation: bytes)))
        case .RS256, .PS256:
            try self.init(algorithm: algorithm, material: .rsa(_RSA.Signing.PrivateKey(derRepresentation: bytes)))
        case .EdDSA:
            try self.init(algorithm: algorithm, material: .ed25519(Curve25519.Signing.PrivateKey(rawRepresentation: bytes)))
        }
    }

    init(algorithm: SigningAlgorithm, material: Material) throws {
        self.algorithm = algorithm
        self.material = material
        let publicKey: VerificationKey.Material
        switch material {
        case .p256(let key): publicKey = .p256(key.publicKey)
        case .rsa(let key): publicKey = .rsa(key.publicKey)
        case .ed25519(let key): publicKey = .ed25519(key.publicKey)
        }
        self.verificationKey = try VerificationKey(algorithm: algorithm, material: publicKey)
        self.kid = verificationKey.kid
    }

    public func exportedPrivateKey() -> [UInt8] {
        switch material {
        case .p256(let key): [UInt8](key.rawRepresentation)
        case .rsa(let key): [UInt8](key.derRepresentation)
        case .ed25519(let key): [UInt8](key.rawRepresentation)
        }
    }

    /// The JWS signature over `signingInput` (RFC 7515 §5.1), in JOSE's byte format.
    public func sign(_ signingInput: some DataProtocol) throws -> [UInt8] {
        switch (material, algorithm) {
        case (.p256(let key), _): return [UInt8](try key.signature(for: signingInput).rawRepresentation)
        case (.rsa(let key), .PS256): return [UInt8](try key.signature(for: signingInput, padding: .PSS).rawRepresentation)
        case (.rsa(let key), _):
            return [UInt8](try key.signature(for: signingInput, padding: .insecurePKCS1v1_5).rawRepresentation)
        case (.ed25519(let key), _): return [UInt8](try key.signature(for: signingInput))
        }
    }
}
