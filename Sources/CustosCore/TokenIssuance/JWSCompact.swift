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

/// A compact JWS split into its parts (RFC 7515 §7.1), decoded but not yet verified. Every
/// verifier (our tokens, client assertions, request objects) starts here, so the size cap and
/// the strict base64url decoding are the same everywhere.
public struct ParsedJWS: Sendable {
    public let header: [UInt8]
    public let payload: [UInt8]
    public let signature: [UInt8]
    /// ASCII(BASE64URL(header) || '.' || BASE64URL(payload)), what the signature covers.
    public let signingInput: [UInt8]

    public init?(_ token: String, maximumLength: Int) {
        guard token.utf8.count <= maximumLength else { return nil }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let header = Base64URL.decode(parts[0]), let payload = Base64URL.decode(parts[1]),
            let signature = Base64URL.decode(parts[2])
        else { return nil }
        self.header = header
        self.payload = payload
        self.signature = signature
        self.signingInput = Array(token.utf8.prefix(parts[0].utf8.count + 1 + parts[1].utf8.count))
    }
}
