/// A DPoP proof (RFC 9449 §4.2) that passed every check of §4.3: what the rest of the server
/// needs from it.
public struct DPoPProof: Sendable, Equatable {
    /// The RFC 7638 SHA-256 thumbprint of the proof's public key, the `cnf.jkt` (§6.1).
    public let thumbprint: String
    public let jti: String
    /// The `nonce` the proof carried, if any (already checked).
    public let nonce: String?
}

/// What a proof must match besides its own content: the request it came with (§4.3 items 8,
/// 9), the access token it travels with at a resource (item 11, `ath`), and whether a server
/// nonce is mandatory for it (item 10, §8).
public struct DPoPExpectation: Sendable {
    public var htm: String
    public var htu: String
    /// At a protected resource: the access token in `Authorization: DPoP`; nil at the token
    /// and PAR endpoints, where `ath` is not checked.
    public var accessToken: String?
    public var requiresNonce: Bool

    public init(htm: String, htu: String, accessToken: String? = nil, requiresNonce: Bool) {
        self.htm = htm
        self.htu = htu
        self.accessToken = accessToken
        self.requiresNonce = requiresNonce
    }
}
