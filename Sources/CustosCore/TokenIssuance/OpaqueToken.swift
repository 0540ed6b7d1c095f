import Crypto
import Foundation

/// The one strategy for every random handle Custos hands out and later looks up: a prefix
/// naming its kind (so that a leaked credential is recognisable to secret scanners), then 256
/// random bits in base64url (43 characters). Only the digest is stored: the base64url SHA-256
/// of the whole value. Plain SHA-256 suffices because the value is random and long, unlike a
/// password (RFC 6819 §5.1.4.1.3; fosite's `strategy_hmacsha_prefixed.go` is the same idea).
///
/// The formats are the ones each handle has always had, so that stored digests still match:
/// the browser-facing handles (the session cookie, the pending-authorization handle) have never
/// had a prefix and still have none. Client secrets are not made here: their digest is keyed
/// (`ClientSecretHasher`), a different strategy on purpose.
public enum OpaqueToken {
    public enum Kind: Sendable, CaseIterable {
        case accessToken
        case refreshToken
        case authorizationCode
        /// RFC 7592 §3: the token a dynamically registered client manages itself with.
        case registrationAccessToken
        /// RFC 7591 §3: the token an administrator hands out to allow registrations.
        case initialAccessToken
        /// The browser session cookie's value.
        case session
        /// The handle a pending authorization request is resumed by.
        case pendingAuthorization
        /// RFC 9126 §2.2: the `request_uri` of a pushed authorization request, in the URN
        /// namespace the RFC registers (§7.1: unguessable, here 256 bits).
        case pushedAuthorizationRequest

        public var prefix: String {
            switch self {
            case .accessToken: "custos_at_"
            case .refreshToken: "custos_rt_"
            case .authorizationCode: "custos_ac_"
            case .registrationAccessToken: "custos_rat_"
            case .initialAccessToken: "custos_iat_"
            case .pushedAuthorizationRequest: PushedAuthorization.requestURIPrefix
            case .session, .pendingAuthorization: ""
            }
        }
    }

    /// The number of random bytes in every value.
    public static let randomByteCount = 32

    /// A new value of `kind` and the digest to store for it.
    public static func generate(_ kind: Kind) -> (value: String, digest: String) {
        let value = make(kind)
        return (value, digest(value))
    }

    /// A new value of `kind`.
    public static func make(_ kind: Kind) -> String {
        kind.prefix + Base64URL.encode(SecureRandom.bytes(randomByteCount))
    }

    /// The digest stored for (and looked up by) `token`.
    public static func digest(_ token: String) -> String {
        Base64URL.encode(SHA256.hash(data: Data(token.utf8)))
    }
}
