/// What a sender-constrained token is bound to: the RFC 7800 `cnf` claim's one member.
///
/// - `jkt`: the base64url SHA-256 thumbprint (RFC 7638) of the client's DPoP public key
///   (RFC 9449 §6.1).
/// - `x5t#S256`: the base64url SHA-256 thumbprint of the client's TLS certificate (RFC 8705 §3.1).
///
/// A token carries at most one binding; a `cnf` object with neither member is refused when
/// read, so that an unknown constraint never silently turns into a bearer token.
public enum Confirmation: Sendable, Codable, Equatable {
    case jkt(String)
    case x5tS256(String)

    enum CodingKeys: String, CodingKey {
        case jkt
        case x5tS256 = "x5t#S256"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let thumbprint = try container.decodeIfPresent(String.self, forKey: .jkt) {
            self = .jkt(thumbprint)
        } else if let thumbprint = try container.decodeIfPresent(String.self, forKey: .x5tS256) {
            self = .x5tS256(thumbprint)
        } else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: decoder.codingPath, debugDescription: "cnf carries neither jkt nor x5t#S256")
            )
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .jkt(let thumbprint): try container.encode(thumbprint, forKey: .jkt)
        case .x5tS256(let thumbprint): try container.encode(thumbprint, forKey: .x5tS256)
        }
    }

    /// The one place that decides `token_type` (RFC 6749 §7.1) for an access token with this
    /// binding: a DPoP-bound token is `DPoP` (RFC 9449 §5); a certificate-bound token stays
    /// `Bearer` (RFC 8705 §3: the binding is checked at the TLS layer, the scheme is unchanged);
    /// an unbound token is `Bearer` (RFC 6750).
    public static func tokenType(for confirmation: Confirmation?) -> String {
        switch confirmation {
        case .jkt: "DPoP"
        case .x5tS256, nil: "Bearer"
        }
    }
}
