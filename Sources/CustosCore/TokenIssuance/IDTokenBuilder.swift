import Crypto
import Foundation

/// Builds ID tokens (OpenID Connect Core §2, §3.1.3.6), signed with the client's registered
/// algorithm (RS256 by default).
public struct IDTokenBuilder: Sendable {
    public static let lifetime: TimeInterval = 3_600
    let configuration: ServerConfiguration
    let keys: SigningKeySet
    let subjects: SubjectIdentifier

    public init(configuration: ServerConfiguration, keys: SigningKeySet, subjects: SubjectIdentifier) {
        self.configuration = configuration
        self.keys = keys
        self.subjects = subjects
    }

    /// What the sign-in established, carried from the authorization request.
    public struct Authentication: Sendable {
        public var user: User
        public var nonce: String?
        public var authTime: Date
        public var amr: [String]
        public var sessionID: String
        public var acr: String?

        public init(user: User, nonce: String?, authTime: Date, amr: [String], sessionID: String, acr: String? = nil) {
            self.user = user
            self.nonce = nonce
            self.authTime = authTime
            self.amr = amr
            self.sessionID = sessionID
            self.acr = acr
        }
    }

    public func build(
        for client: OAuthClient,
        authentication: Authentication,
        accessToken: String?,
        code: String? = nil,
        state: String? = nil,
        scopes: [String],
        requestedClaims: Set<String> = [],
        at now: Date
    ) throws -> String {
        // No ID token for a user who is not active (disabled, locked or deleted).
        guard authentication.user.status == .active, authentication.user.deletedAt == nil else {
            throw OAuthError(.invalidGrant, "the user is not active")
        }
        let key = try keys.signer(for: client.openID.idTokenAlgorithm)
        let issuedAt = Int64(now.timeIntervalSince1970)
        var claims: [String: any Sendable] = [
            "iss": configuration.issuer, "sub": subjects.subject(for: authentication.user.id, client: client),
            "aud": client.clientID, "azp": client.clientID, "iat": Int(issuedAt), "exp": Int(issuedAt) + Int(Self.lifetime),
            "auth_time": Int(authentication.authTime.timeIntervalSince1970), "sid": authentication.sessionID,
        ]
        if let nonce = authentication.nonce { claims["nonce"] = nonce }
        if !authentication.amr.isEmpty { claims["amr"] = authentication.amr }
        if let acr = authentication.acr { claims["acr"] = acr }
        if let accessToken { claims["at_hash"] = Self.halfHash(accessToken, algorithm: key.algorithm) }
        if let code { claims["c_hash"] = Self.halfHash(code, algorithm: key.algorithm) }
        // FAPI 1.0 Advanced §5.2.2.1 item 5: the hybrid flow's ID token also signs the state.
        if let state { claims["s_hash"] = Self.halfHash(state, algorithm: key.algorithm) }
        // Without an access token the relying party cannot call userinfo: the scope's claims go in the ID token (§5.4).
        // §5.5: claims the `claims` parameter asked for in the ID token, whatever the scopes.
        let scopeClaims = accessToken == nil ? scopes : []
        for (name, value) in ClaimsProvider.claims(of: authentication.user, scopes: scopeClaims, extra: requestedClaims) {
            claims[name] = value
        }
        let payload = try JSONSerialization.data(withJSONObject: claims as [String: Any], options: [.sortedKeys, .withoutEscapingSlashes])
        return try JWSCompact.sign(payload: payload, type: "JWT", key: key)
    }

    /// OpenID Connect Core §3.1.3.6: the left-most half of the hash of the ASCII value, with
    /// the hash of the ID token's `alg` (SHA-512 for EdDSA over Ed25519), base64url.
    public static func halfHash(_ value: String, algorithm: SigningAlgorithm) -> String {
        let data = Data(value.utf8)
        let digest: [UInt8] = algorithm == .EdDSA ? Array(SHA512.hash(data: data)) : Array(SHA256.hash(data: data))
        return Base64URL.encode(digest.prefix(digest.count / 2))
    }
}
