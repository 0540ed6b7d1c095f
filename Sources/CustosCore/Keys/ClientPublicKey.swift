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

    /// The key's SubjectPublicKeyInfo DER (RFC 5280 §4.1.2.7), to compare with a client
    /// certificate's key (`self_signed_tls_client_auth`, RFC 8705 §2.2). swift-crypto encodes
    /// P-256 and RSA keys so; an Ed25519 key's SPKI is a fixed 12-byte header before the raw key
    /// (RFC 8410 §4: SEQUENCE { SEQUENCE { OID 1.3.101.112 }, BIT STRING }).
    public var subjectPublicKeyInfo: [UInt8] {
        switch material {
        case .p256(let key): Array(key.derRepresentation)
        case .rsa(let key): Array(key.derRepresentation)
        case .ed25519(let key): Self.ed25519SPKIHeader + Array(key.rawRepresentation)
        }
    }

    static let ed25519SPKIHeader: [UInt8] = [0x30, 0x2A, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x03, 0x21, 0x00]

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
