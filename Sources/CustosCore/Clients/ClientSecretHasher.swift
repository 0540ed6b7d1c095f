import Crypto
import Foundation

/// Makes and checks client secrets.
///
/// Secrets are 256 random bits, base64url, behind the recognisable prefix `custos_cs_` so
/// that secret scanners can find leaked ones. They are stored as HMAC-SHA-256 under a server
/// key: a keyed digest, not a slow password hash, because the input is already high-entropy
/// and a slow hash would only cap the token endpoint's throughput.
public struct ClientSecretHasher: Sendable {
    public static let prefix = "custos_cs_"
    private let key: SymmetricKey

    public init(key: SymmetricKey) {
        self.key = key
    }

    public func generate() -> String {
        Self.prefix + Base64URL.encode(SecureRandom.bytes(32))
    }

    public func digest(_ secret: String) -> String {
        Base64URL.encode(HMAC<SHA256>.authenticationCode(for: Data(secret.utf8), using: key))
    }

    /// Constant-time: HMAC's own comparison of the stored digest with the presented secret's.
    public func matches(_ presented: String, digest stored: String) -> Bool {
        guard let storedBytes = Base64URL.decode(stored) else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(
            storedBytes,
            authenticating: Data(presented.utf8),
            using: key
        )
    }
}
