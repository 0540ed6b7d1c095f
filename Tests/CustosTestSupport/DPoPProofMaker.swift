import CustosCore
import Foundation

/// Makes DPoP proofs (RFC 9449 §4.2) the way a client does, with a key of its own, and lets a
/// test break any part of one: header members, claims, the signature.
public struct DPoPProofMaker: Sendable {
    public let key: SigningKey

    public init(_ algorithm: SigningAlgorithm = .ES256) throws {
        key = try SigningKey.generate(algorithm)
    }

    /// The RFC 7638 thumbprint of the public key: the `cnf.jkt` a bound token carries.
    public var thumbprint: String { key.kid }
    /// The public JWK as the proof's `jwk` header carries it.
    public var jwk: [String: String] { key.verificationKey.publicMembers }

    /// A proof for `htm`/`htu` issued at `iat`; `ath` for `accessToken`; `nonce` when given.
    /// `header` and `claims` are merged over the defaults (an `NSNull` value removes a member).
    public func proof(
        htm: String = "POST",
        htu: String,
        iat: Date,
        accessToken: String? = nil,
        nonce: String? = nil,
        jti: String = UUID().uuidString,
        header: [String: any Sendable] = [:],
        claims: [String: any Sendable] = [:]
    ) throws -> String {
        var head: [String: Any] = ["typ": "dpop+jwt", "alg": key.algorithm.rawValue, "jwk": jwk]
        for (name, value) in header {
            if value is NSNull { head.removeValue(forKey: name) } else { head[name] = value as Any }
        }
        var body: [String: Any] = ["jti": jti, "htm": htm, "htu": htu, "iat": Int(iat.timeIntervalSince1970)]
        if let accessToken { body["ath"] = DPoPProofVerifier.accessTokenHash(accessToken) }
        if let nonce { body["nonce"] = nonce }
        for (name, value) in claims {
            if value is NSNull { body.removeValue(forKey: name) } else { body[name] = value as Any }
        }
        let input =
            Base64URL.encode(try JSONSerialization.data(withJSONObject: head, options: [.sortedKeys])) + "."
            + Base64URL.encode(try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys]))
        return input + "." + Base64URL.encode(try key.sign(Array(input.utf8)))
    }
}
