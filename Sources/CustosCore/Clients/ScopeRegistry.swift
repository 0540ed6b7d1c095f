/// Which scopes a client may be given. The admin API accepts any scope of RFC 6749 §3.3
/// syntax that is not reserved (the seed contract sets no other limit): the operator names
/// the APIs its clients call. The configured catalog (`CUSTOS_SCOPES`) is for display and
/// discovery; dynamic registration is limited by `RegistrationPolicy`, not by this registry.
///
/// Reserved scopes are the privilege escalation of Spring AS CVE-2026-22752 when a
/// registrant can name them: `admin` opens the admin API and is held only by the bootstrap
/// administrator (`AdminBootstrap`, which writes its settings without this check); `account`
/// opens a user's own account API and is for first-party clients only.
public struct ScopeRegistry: Sendable {
    /// OpenID Connect Core §5.4 and §11 scopes, known to every deployment.
    public static let standard: [String] = ["openid", "profile", "email", "address", "phone", "offline_access"]
    /// Opens the admin API; never registrable, by any path.
    public static let adminScope = "admin"
    /// A signed-in user's own account; only first-party clients may hold it (rule 1).
    public static let accountScope = "account"
    /// Scopes only Custos itself decides who holds.
    public static let reserved: Set<String> = [adminScope, accountScope]

    /// The scopes this deployment names: the standard ones and the operator's catalog.
    public let known: Set<String>

    /// - Parameter additional: the operator's own API scopes (configuration `scopes`).
    public init(additional: [String] = []) {
        self.known = Set(Self.standard).union(additional).subtracting(Self.reserved)
    }

    /// Why `scope` cannot be given to a client, or nil when it can.
    /// - Parameter firstParty: whether the administrator marked the client first-party.
    public func registrationProblem(_ scope: String, firstParty: Bool) -> String? {
        guard ScopeSyntax.isValidToken(scope) else { return "\"\(scope)\" has characters outside RFC 6749 §3.3" }
        // Scopes are case-sensitive (RFC 6749 §3.3), but `ADMIN` next to `admin` could only
        // mislead a resource server that compares loosely: refused in every case.
        let folded = scope.lowercased()
        if folded == Self.adminScope { return "scope \"\(scope)\" is reserved" }
        if folded == Self.accountScope && !(firstParty && scope == Self.accountScope) {
            return "scope \"\(scope)\" is reserved for first-party clients"
        }
        return nil
    }

    /// Whether an administrator may give `scope` to a client that is not first-party.
    public func isRegistrable(_ scope: String) -> Bool { registrationProblem(scope, firstParty: false) == nil }
}
