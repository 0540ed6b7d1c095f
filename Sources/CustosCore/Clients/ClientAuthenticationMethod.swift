/// Token endpoint authentication methods (RFC 7591 §2, RFC 8705 §2).
public enum ClientAuthenticationMethod: String, Sendable, CaseIterable, Codable {
    case clientSecretBasic = "client_secret_basic"
    case clientSecretPost = "client_secret_post"
    case clientSecretJWT = "client_secret_jwt"
    case privateKeyJWT = "private_key_jwt"
    case tlsClientAuth = "tls_client_auth"
    case selfSignedTLSClientAuth = "self_signed_tls_client_auth"
    case none

    /// Methods that prove possession of a shared secret issued by Custos.
    public var usesSharedSecret: Bool {
        switch self {
        case .clientSecretBasic, .clientSecretPost, .clientSecretJWT: true
        default: false
        }
    }

    /// Methods FAPI 2.0 Security Profile §5.3.2.1 and FAPI 1.0 Advanced §5.2.2 item 14 allow:
    /// private_key_jwt or mutual TLS (`EffectiveClientPolicy.fapiAuthenticationMethods`).
    public var isFAPICompliant: Bool { EffectiveClientPolicy.fapiAuthenticationMethods.contains(self) }
}
