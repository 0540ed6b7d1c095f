import Foundation

/// The signed authorization response of JARM (JWT Secured Authorization Response Mode for
/// OAuth 2.0, §2.1): every response parameter (`code`, `state`, `iss`, or `error`,
/// `error_description`, `state`, `iss`; the hybrid flow's `id_token` too) becomes a claim of
/// one JWT, with `iss` (this server), `aud` (the client) and a short `exp`, signed with the
/// client's `authorization_signed_response_alg` and delivered as the `response` parameter.
/// The signature gives the client integrity, the sender and the audience (mix-up defence,
/// §4.1); no key of the client is involved, so the JWKS of this server is all it needs.
public struct JWTAuthorizationResponse: Sendable {
    /// §2.1 `exp`: the response is read by the client right away; the issue allows at most
    /// 10 minutes, and 5 leaves room for a slow browser.
    public static let lifetime: TimeInterval = 5 * 60
    /// JARM defines no `typ`; this is the JWT's generic one (RFC 7519 §5.1).
    static let type = "JWT"

    let keys: SigningKeySet
    let clock: any WallClock

    public init(keys: SigningKeySet, clock: any WallClock) {
        self.keys = keys
        self.clock = clock
    }

    /// JARM §3 `authorization_signed_response_alg`, or the default for the client's profile
    /// (`EffectiveClientPolicy.responseAlgorithm`). nil for a registered value that names no
    /// algorithm this server knows.
    public func algorithm(for client: OAuthClient) -> SigningAlgorithm? {
        client.policy.responseAlgorithm(registered: client.authorizationSignedResponseAlg, serverDefault: (try? keys.signer.algorithm) ?? .ES256)
    }

    /// Whether an active key signs the client's JWT responses now.
    public func canSign(for client: OAuthClient) -> Bool {
        guard let algorithm = algorithm(for: client) else { return false }
        return (try? keys.signer(for: algorithm)) != nil
    }

    /// The `response` JWT carrying `parameters` (already with `state` and `iss`) for `client`.
    public func sign(_ parameters: [AuthorizationRedirect.Parameter], issuer: String, for client: OAuthClient) throws -> String {
        guard let algorithm = algorithm(for: client) else { throw SigningKeySet.NoSigningKey() }
        let key = try keys.signer(for: algorithm)
        let now = Int(clock.now.timeIntervalSince1970)
        var claims: [String: Any] = [:]
        for parameter in parameters { claims[parameter.name] = parameter.value }
        claims["iss"] = issuer
        claims["aud"] = client.clientID
        claims["iat"] = now
        claims["exp"] = now + Int(Self.lifetime)
        let payload = try JSONSerialization.data(withJSONObject: claims, options: [.sortedKeys, .withoutEscapingSlashes])
        return try JWSCompact.sign(payload: payload, type: Self.type, key: key)
    }
}
