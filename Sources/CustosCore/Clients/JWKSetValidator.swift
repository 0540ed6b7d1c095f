import Foundation

/// Checks a client's registered `jwks` (RFC 7517 §5): a JSON object with a `keys` array of
/// public keys. Private members are refused outright (RFC 7591 §2: the client registers only
/// public keys), and `kid`s must be unique so that a key can be chosen without ambiguity.
public enum JWKSetValidator {
    public static let maximumSize = 64 * 1024
    public static let maximumKeys = 32
    static let privateMembers = ["d", "p", "q", "dp", "dq", "qi", "k", "oth"]

    /// Returns why `text` is not an acceptable JWK Set, or nil.
    public static func problem(in text: String) -> String? {
        guard text.utf8.count <= maximumSize else { return "is larger than \(maximumSize) bytes" }
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
            let keys = object["keys"] as? [Any]
        else { return "must be a JWK Set: a JSON object with a \"keys\" array" }
        guard !keys.isEmpty else { return "must contain at least one key" }
        guard keys.count <= maximumKeys else { return "must contain at most \(maximumKeys) keys" }
        var kids = Set<String>()
        for (index, element) in keys.enumerated() {
            guard let key = element as? [String: Any] else { return "keys[\(index)] must be a JSON object" }
            if let member = privateMembers.first(where: { key[$0] != nil }) {
                return "keys[\(index)] contains the private member \"\(member)\"; register public keys only"
            }
            guard let kty = key["kty"] as? String else { return "keys[\(index)] has no \"kty\"" }
            let required: [String]
            switch kty {
            case "RSA": required = ["n", "e"]
            case "EC": required = ["crv", "x", "y"]
            case "OKP": required = ["crv", "x"]
            default: return "keys[\(index)] has the unsupported key type \"\(kty)\""
            }
            if let missing = required.first(where: { (key[$0] as? String)?.isEmpty ?? true }) {
                return "keys[\(index)] lacks the member \"\(missing)\""
            }
            if let kid = key["kid"] {
                guard let kid = kid as? String else { return "keys[\(index)].kid must be a string" }
                guard kids.insert(kid).inserted else { return "contains the duplicate kid \"\(kid)\"" }
            }
        }
        return nil
    }
}
