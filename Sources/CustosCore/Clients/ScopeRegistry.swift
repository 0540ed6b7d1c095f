/// The scopes this server knows. A client may register only these (an unknown or reserved
/// scope at registration is the privilege escalation of Spring AS CVE-2026-22752).
public struct ScopeRegistry: Sendable {
    /// OpenID Connect Core §5.4 and §11 scopes, known to every deployment.
    public static let standard: [String] = ["openid", "profile", "email", "address", "phone", "offline_access"]
    /// Scopes only Custos itself grants: `admin` opens the admin API.
    public static let reserved: Set<String> = ["admin"]

    public let known: Set<String>

    /// - Parameter additional: the operator's own API scopes (configuration `scopes`).
    public init(additional: [String] = []) {
        self.known = Set(Self.standard).union(additional).subtracting(Self.reserved)
    }

    public func isRegistrable(_ scope: String) -> Bool { known.contains(scope) }
}
