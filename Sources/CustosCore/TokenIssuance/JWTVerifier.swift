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
        guard let jws = ParsedJWS(token, maximumLength: Self.maximumLength),
            let header = try? JSONDecoder().decode(Header.self, from: Data(jws.header))
        else { throw .malformed }
        // RFC 7515 §4.1.9: "application/" may be omitted from typ, so both forms are the same type.
        let type = header.typ?.lowercased()
        guard type == expectedType || type == "application/" + expectedType, header.crit == nil else { throw .unacceptableHeader }
        guard let kid = header.kid, let key = keys.verificationKey(kid: kid) else { throw .unknownKey }
        guard header.alg == key.algorithm.rawValue else { throw .unacceptableHeader }
        guard key.isValidSignature(jws.signature, for: jws.signingInput) else { throw .badSignature }
        return jws.payload
    }

    struct Header: Decodable {
        var alg: String
        var kid: String?
        var typ: String?
        var crit: [String]?
    }
}
