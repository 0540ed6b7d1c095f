import Foundation

/// An introspection answer as a signed JWT (RFC 9701 §5), for a resource server that asked for
/// `application/token-introspection+jwt` (§4). The claims are `iss` (this server), `aud` (the
/// client that called, the one who receives the answer), `iat` (when the answer was made) and
/// `token_introspection`: exactly the JSON object the plain answer would be, `{"active": false}`
/// included. The token's claims stay inside that member, none at the top level: the answer is
/// not a representation of the token and must not pass for an access token (§5), and the
/// explicit `typ` keeps it from being taken for any other JWT signed with the same keys (§8).
public struct SignedIntrospectionResponse: Sendable {
    /// RFC 9701 §4 and §11.2: what the caller sends in `Accept` and gets as `Content-Type`.
    public static let mediaType = "application/token-introspection+jwt"
    /// RFC 9701 §5: the JOSE header's `typ`.
    public static let type = "token-introspection+jwt"

    /// Why no JWT answer can be made for this caller.
    public struct Unavailable: Error, Sendable, Equatable {
        public let reason: String
    }

    /// The key the answers to `metadata`'s client are signed with. RFC 9701 §6: a client that
    /// registered `introspection_signed_response_alg` gets answers in that algorithm only;
    /// otherwise the server's default signing key signs (not the RFC's RS256 default: RS256
    /// is the one algorithm FAPI forbids), and for a FAPI client ES256 when the default is
    /// not one its profile allows (`EffectiveClientPolicy.responseAlgorithm`, as for JARM).
    public static func signer(for metadata: ClientMetadata, keys: SigningKeySet) throws(Unavailable) -> SigningKey {
        let registered = metadata.introspectionSignedResponseAlg
        let serverDefault = try? keys.signer.algorithm
        if registered == nil && serverDefault == nil { throw Unavailable(reason: "the server has no signing key") }
        let policy = EffectiveClientPolicy(metadata: metadata, pkceRequired: true)
        guard let algorithm = policy.responseAlgorithm(registered: registered, serverDefault: serverDefault ?? .ES256) else {
            throw Unavailable(reason: "the client's introspection_signed_response_alg \(registered ?? "") is not an algorithm this server signs with")
        }
        guard let key = try? keys.signer(for: algorithm) else {
            throw Unavailable(reason: "the server has no \(algorithm.rawValue) key for the client's introspection responses")
        }
        return key
    }

    /// The compact JWS of `answer` (nil: an inactive token, or one the caller may not see)
    /// addressed to `audience`, signed with `key`.
    public static func sign(
        _ answer: Introspection?,
        audience: String,
        issuer: String,
        issuedAt: Date,
        key: SigningKey
    ) throws -> String {
        let claims = Claims(
            iss: issuer,
            aud: audience,
            iat: Int64(issuedAt.timeIntervalSince1970),
            tokenIntrospection: answer.map(Answer.active) ?? .inactive
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try JWSCompact.sign(payload: encoder.encode(claims), type: type, key: key)
    }

    struct Claims: Encodable {
        let iss: String
        let aud: String
        let iat: Int64
        let tokenIntrospection: Answer

        enum CodingKeys: String, CodingKey {
            case iss, aud, iat
            case tokenIntrospection = "token_introspection"
        }
    }

    /// RFC 9701 §5: for an inactive token the member holds `active: false` and nothing else.
    enum Answer: Encodable {
        case active(Introspection)
        case inactive

        func encode(to encoder: any Encoder) throws {
            switch self {
            case .active(let introspection): try introspection.encode(to: encoder)
            case .inactive: try InactiveIntrospection().encode(to: encoder)
            }
        }
    }
}

/// The answer for a token that is not active or not the caller's to see (RFC 7662 §2.2):
/// `{"active": false}` and nothing else, as JSON and inside a signed answer alike.
public struct InactiveIntrospection: Encodable, Sendable {
    public let active = false
    public init() {}
}
