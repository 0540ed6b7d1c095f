/// Resolves the `scope` parameter of a request against what the client may have
/// (RFC 6749 §3.3): absent means all the client's scopes; any scope beyond them is refused.
public enum ScopeRequest {
    public static func resolve(_ requested: String?, allowed: [String]) throws -> [String] {
        guard let requested else { return allowed }
        guard let scopes = ScopeSyntax.parse(requested) else {
            throw OAuthError(.invalidScope, "the scope parameter is malformed")
        }
        let allowedSet = Set(allowed)
        if let unknown = scopes.first(where: { !allowedSet.contains($0) }) {
            throw OAuthError(.invalidScope, "the client may not request the scope \"\(unknown)\"")
        }
        return scopes
    }
}
