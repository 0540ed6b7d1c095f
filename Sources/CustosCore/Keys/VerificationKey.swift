import Crypto
import CryptoExtras
import Foundation

/// A public key bound to exactly one algorithm, so a token's `alg` header can never pick how
/// its signature is checked (the algorithm-confusion attacks of RFC 8725 §2.1).
public struct VerificationKey: Sendable {
    enum Material: Sendable {
        case p256(P256.Signing.PublicKey)
        case rsa(_RSA.Signing.PublicKey)
        case ed25519(Curve25519.Signing.PublicKey)
    }

    public let kid: String
    public let algorithm: SigningAlgorithm
    let material: Material
    /// The public JWK members (kty, crv/x/y or n/e), without kid, alg and use.
    public let publicMembers: [String: String]

    init(algorithm: SigningAlgorithm, material: Material) throws {
        self.algorithm = algorithm
        self.material = material
        switch material {
        case .p256(let key):
            let raw = [UInt8](key.rawRepresentation)
            publicMembers = [
                "kty": "EC", "crv": "P-256", "x": Base64URL.encode(raw[0..<32]), "y": Base64URL.encode(raw[32..<64]),
            ]
        case .rsa(let key):
            let primitives = try key.getKeyPrimitives()
            publicMembers = ["kty": "RSA", "n": Base64URL.encode(primitives.modulus), "e": Base64URL.encode(primitives.publicExponent)]
        case .ed25519(let key):
            publicMembers = ["kty": "OKP", "crv": "Ed25519", "x": Base64URL.encode(key.rawRepresentation)]
        }
        kid = Self.thumbprint(of: publicMembers)
    }

    /// RFC 7638 §3: SHA-256 over the required members in lexicographic order, no whitespace.
    static func thumbprint(of members: [String: String]) -> String {
        let required: [String]
        switch members["kty"] {
        case "EC": required = ["crv", "kty", "x", "y"]
        case "RSA": required = ["e", "kty", "n"]
        default: required = ["crv", "kty", "x"]
        }
        let canonical = "{" + required.map { "\"\($0)\":\"\(members[$0] ?? "")\"" }.joined(separator: ",") + "}"
        return Base64URL.encode(SHA256.hash(data: Data(canonical.utf8)))
    }

    /// The JWK as published in the JWKS: public members plus kid, alg and use.
    public var jwk: [String: String] {
        publicMembers.merging(["kid": kid, "alg": algorithm.rawValue, "use": "sig"]) { $1 }
    }

    public func isValidSignature(_ signature: [UInt8], for signingInput: some DataProtocol) -> Bool {
        switch (material, algorithm) {
        case (.p256(let key), _):
            guard let parsed = try? P256.Signing.ECDSASignature(rawRepresentation: signature) else { return false }
            return key.isValidSignature(parsed, for: signingInput)
        case (.rsa(let key), .PS256):
            return key.isValidSignature(_RSA.Signing.RSASignature(rawRepresentation: signature), for: signingInput, padding: .PSS)
        case (.rsa(let key), _):
            return key.isValidSignature(
                _RSA.Signing.RSASignature(rawRepresentation: signature),
                for: signingInput,
                padding: .insecurePKCS1v1_5
            )
        case (.ed25519(let key), _):
            return key.isValidSignature(signature, for: Data(signingInput))
        }
    }
}
