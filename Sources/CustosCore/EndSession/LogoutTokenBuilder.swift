import Foundation

/// Logout tokens (OpenID Connect Back-Channel Logout 1.0 §2.4): `typ: logout+jwt`, the
/// back-channel event, `sid` and `sub`, a `jti`, and never a `nonce`.
public struct LogoutTokenBuilder: Sendable {
    public static let event = "http://schemas.openid.net/event/backchannel-logout"
    let configuration: ServerConfiguration
    let keys: SigningKeySet
    let subjects: SubjectIdentifier

    public init(configuration: ServerConfiguration, keys: SigningKeySet, subjects: SubjectIdentifier) {
        self.configuration = configuration
        self.keys = keys
        self.subjects = subjects
    }

    public func build(for client: OAuthClient, userID: String, sessionID: String, at now: Date) throws -> String {
        let issuedAt = Int(now.timeIntervalSince1970)
        let claims: [String: Any] = [
            "iss": configuration.issuer, "aud": client.clientID, "iat": issuedAt, "exp": issuedAt + 120, "jti": ULID.make(at: now),
            "sub": subjects.subject(for: userID, client: client), "sid": sessionID, "events": [Self.event: [String: String]()],
        ]
        let payload = try JSONSerialization.data(withJSONObject: claims, options: [.sortedKeys, .withoutEscapingSlashes])
        return try JWSCompact.sign(payload: payload, type: "logout+jwt", key: keys.signer(for: client.openID.idTokenAlgorithm))
    }
}
