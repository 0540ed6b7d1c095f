import CustosCore

/// The `WWW-Authenticate` challenges Custos sends, built only here.
enum WWWAuthenticate: Equatable {
    /// RFC 6749 §5.2: `invalid_client` after the client tried the Authorization header.
    case basic
    /// RFC 6750 §3: a missing, rejected or insufficient bearer token. Without `error` (no token
    /// was sent at all, §3.1) the challenge names only the realm.
    case bearer(error: String?, description: String? = nil, scope: String? = nil)

    /// RFC 9449 §7.1: a resource that takes DPoP-bound tokens names its algorithms.
    case dpop(error: String?, description: String? = nil)

    static let realm = "custos"

    var headerValue: String {
        switch self {
        case .basic:
            return "Basic realm=\"\(Self.realm)\""
        case .bearer(let error, let description, let scope):
            var value = "Bearer realm=\"\(Self.realm)\""
            if let error { value += ", error=\"\(error)\"" }
            // wireDescription leaves only characters a quoted string may hold unescaped.
            if let description { value += ", error_description=\"\(OAuthError.wireDescription(description))\"" }
            if let scope { value += ", scope=\"\(scope)\"" }
            return value
        case .dpop(let error, let description):
            var value = "DPoP algs=\"\(DPoPProofVerifier.supportedAlgorithms.map(\.rawValue).joined(separator: " "))\""
            if let error { value += ", error=\"\(error)\"" }
            if let description { value += ", error_description=\"\(OAuthError.wireDescription(description))\"" }
            return value
        }
    }
}
