import Crypto
import Foundation

/// Opaque tokens: a recognisable prefix (so leaked tokens can be found by scanners) and 256
/// random bits. Only the SHA-256 of a token is stored; plain SHA-256 suffices because the
/// value is random and long, unlike a password.
public enum OpaqueToken {
    public enum Kind: String, Sendable {
        case accessToken = "custos_at_"
        case refreshToken = "custos_rt_"
    }

    public static func make(_ kind: Kind) -> String {
        kind.rawValue + Base64URL.encode(SecureRandom.bytes(32))
    }

    public static func digest(_ token: String) -> String {
        Base64URL.encode(SHA256.hash(data: Data(token.utf8)))
    }
}
