import Foundation

/// Verifies a JWT that Custos itself signed. Every check that jwt-kit leaves to its caller is
/// made here: the header `alg` must be the algorithm of the key named by `kid` (never `none`,
/// never a choice the token makes), the `typ` must be the expected one, and the size is capped
/// before any parsing.
public struct JWTVerifier: Sendable {
    public static let maximumLength = 16 * 1024
    private let keys: SigningKeySet

    public init(keys: SigningKeySet) {
        self.keys = keys
    }

    public enum Failure: Error, Equatable {
        case malformed
        case unacceptableHeader
        case unknownKey
        case badSignature
    }

    /// Returns the verified payload bytes.
    public func verify(_ token: String, type expectedType: String) throws(Failure) -> [UInt8] {
        guard token.utf8.count <= Self.maximumLength else { throw .malformed }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let headerBytes = Base64URL.decode(parts[0]), let payload = Base64URL.decode(parts[1]),
            let signature = Base64URL.decode(parts[2])
        else { throw .malformed }
        guard let header = try? JSONDecoder().decode(Header.self, from: Data(headerBytes)) else { throw .malformed }
        // RFC 7515 §4.1.9: "application/" may be omitted from typ, so both forms are the same type.
        let type = header.typ?.lowercased()
        guard type == expectedType || type == "application/" + expectedType, header.crit == nil else { throw .unacceptableHeader }
        guard let kid = header.kid, let key = keys.verificationKey(kid: kid) else { throw .unknownKey }
        guard header.alg == key.algorithm.rawValue else { throw .unacceptableHeader }
        let signingInput = token.utf8.prefix(parts[0].utf8.count + 1 + parts[1].utf8.count)
        guard key.isValidSignature(signature, for: Array(signingInput)) else { throw .badSignature }
        return payload
    }

    struct Header: Decodable {
        var alg: String
        var kid: String?
        var typ: String?
        var crit: [String]?
    }
}
