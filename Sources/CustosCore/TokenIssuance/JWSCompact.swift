import Foundation

/// JWS compact serialization (RFC 7515 §7.1) over swift-crypto signatures. It writes the
/// header by hand, in a fixed member order, instead of through a generic JSON encoder: the
/// header is the same few bytes for every token, and this is the token endpoint's hot path.
public enum JWSCompact {
    public static func sign(payload: some Sequence<UInt8>, type: String, key: SigningKey) throws -> String {
        let header = "{\"alg\":\"\(key.algorithm.rawValue)\",\"kid\":\"\(key.kid)\",\"typ\":\"\(type)\"}"
        let signingInput = Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(payload)
        let signature = try key.sign(Array(signingInput.utf8))
        return signingInput + "." + Base64URL.encode(signature)
    }
}
