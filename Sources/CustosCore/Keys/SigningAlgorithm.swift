/// JWS algorithms Custos signs with (RFC 7518 §3, RFC 8037 §3.1). ES256 is the default:
/// its signatures are about thirty times cheaper than RSA-2048's here.
public enum SigningAlgorithm: String, Sendable, CaseIterable, Codable {
    case ES256
    case RS256
    case PS256
    case EdDSA
}
