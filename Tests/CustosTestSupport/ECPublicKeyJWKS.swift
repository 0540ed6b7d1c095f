import Crypto
import CustosCore

/// A P-256 public key as the JWK Set (RFC 7517 §5, RFC 7518 §6.2.1) a client registers in `jwks`,
/// e.g. for `self_signed_tls_client_auth`, whose certificate carries the same key.
public enum ECPublicKeyJWKS {
    public static func jwks(_ key: P256.Signing.PublicKey, kid: String = "k1") -> String {
        let raw = key.rawRepresentation
        let x = Base64URL.encode(raw.prefix(32))
        let y = Base64URL.encode(raw.suffix(32))
        return #"{"keys":[{"kty":"EC","crv":"P-256","use":"sig","kid":"\#(kid)","x":"\#(x)","y":"\#(y)"}]}"#
    }
}
