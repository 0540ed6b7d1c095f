import Crypto
import CryptoExtras
import Foundation

/// A public key from a client's JWK Set (RFC 7517), parsed one key at a time so that a key
/// of a type we do not support is skipped instead of failing the whole set (a jwt-kit pitfall).
public struct ClientPublicKey: Sendable {
    public let kid: String?
    /// The JWK's own `alg`, when it names one: the key may then be used with that algorithm only.
    public let algorithm: String?
    let material: VerificationKey.Material

    /// Parses every supported public key of a JWK Set's JSON text.
    public static func parseSet(_ text: String) -> [ClientPublicKey] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
            let keys = object["keys"] as? [[String: Any]]
        else { return [] }
        return keys.compactMap { ClientPublicKey(jwk: $0) }
    }

    init?(jwk: [String: Any]) {
        if let use = jwk["use"] as? String, use != "sig" { return nil }
        kid = jwk["kid"] as? String
        algorithm = jwk["alg"] as? String
        switch jwk["kty"] as? String {
        case "RSA":
            guard let n = (jwk["n"] as? String).flatMap(Base64URL.decode), let e = (jwk["e"] as? String).flatMap(Base64URL.decode),
                let key = try? _RSA.Signing.PublicKey(n: n, e: e)
            else { return nil }
            material = .rsa(key)
        case "EC":
            guard jwk["crv"] as? String == "P-256", let x = (jwk["x"] as? String).flatMap(Base64URL.decode),
                let y = (jwk["y"] as? String).flatMap(Base64URL.decode), x.count == 32, y.count == 32,
                let key = try? P256.Signing.PublicKey(rawRepresentation: x + y)
            else { return nil }
            material = .p256(key)
        case "OKP":
            guard jwk["crv"] as? String == "Ed25519", let x = (jwk["x"] as? String).flatMap(Base64URL.decode),
                let key = try? Curve25519.Signing.PublicKey(rawRepresentation: x)
            else { return nil }
            material = .ed25519(key)
        default:
            return nil
        }
    }

    /// A verifier bound to `algorithm` when this key can serve it, nil otherwise (no
    /// algorithm confusion: an EC key never checks an RSA signature, a key with its own
    /// `alg` checks only that algorithm).
    public func verifier(for algorithm: SigningAlgorithm) -> VerificationKey? {
        if let own = self.algorithm, own != algorithm.rawValue { return nil }
        switch (material, algorithm) {
        case (.p256, .ES256), (.rsa, .RS256), (.rsa, .PS256), (.ed25519, .EdDSA):
            return try? VerificationKey(algorithm: algorithm, material: material)
        default:
            return nil
        }
    }
}
