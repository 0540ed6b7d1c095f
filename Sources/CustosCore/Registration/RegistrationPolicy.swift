/// What a dynamically registered client may be given (rule 3). Without a policy (open
/// registration, or the static `CUSTOS_REGISTRATION_INITIAL_TOKEN`) only the standard OpenID
/// scopes and the browser grants; an administrator's registration token may allow more, such
/// as an API scope with `client_credentials`. Reserved scopes are never in a policy.
public struct RegistrationPolicy: Sendable, Equatable {
    public var scopes: [String]
    public var grantTypes: [GrantType]

    public init(scopes: [String], grantTypes: [GrantType]) {
        self.scopes = scopes
        self.grantTypes = grantTypes
    }

    /// An anonymous registrant's allowance: it cannot be trusted with a client of its own
    /// (`client_credentials`) or with the operator's API scopes.
    public static let standard = RegistrationPolicy(
        scopes: ScopeRegistry.standard,
        grantTypes: [.authorizationCode, .refreshToken]
    )

    /// Why a registration asking for `scopes` and `grantTypes` exceeds the policy, in RFC 7591
    /// terms (the description of an `invalid_client_metadata` error), or nil when it fits.
    public func problem(scopes requested: [String], grantTypes requestedGrants: [String]) -> String? {
        if let scope = requested.first(where: { !scopes.contains($0) }) {
            return "scope: \"\(scope)\" is not allowed for this registration"
        }
        if let grant = requestedGrants.first(where: { GrantType(rawValue: $0).map { !grantTypes.contains($0) } ?? false }) {
            return "grant_types: \"\(grant)\" is not allowed for this registration"
        }
        return nil
    }

    /// The union with what a client already holds: an RFC 7592 update may keep what the
    /// client was given, but not widen it.
    public func widened(by client: OAuthClient) -> RegistrationPolicy {
        RegistrationPolicy(
            scopes: scopes + client.scopes.filter { !scopes.contains($0) },
            grantTypes: grantTypes + client.grantTypes.filter { !grantTypes.contains($0) }
        )
    }
}
