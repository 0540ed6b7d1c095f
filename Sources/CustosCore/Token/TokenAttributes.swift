/// What a token says beyond its fixed columns: who it is for (`aud`), what it is bound to
/// (`cnf`) and on whose behalf another party acts (`act`). Stored as one JSON object, so that a
/// further claim needs no migration; absent members are omitted, and a token stored before
/// these existed reads as `{}`, which means: audience the issuer, unbound, no actor.
public struct TokenAttributes: Sendable, Codable, Equatable {
    /// RFC 7519 §4.1.3 / RFC 8707 §2: the resource servers the token is meant for. Empty for
    /// tokens stored before attributes existed; they were all issued for the issuer.
    public var audience: [String]
    /// RFC 7800 §3.1 `cnf`: the key or certificate the token is bound to; nil for a bearer token.
    public var confirmation: Confirmation?
    /// RFC 8693 §4.1 `act`: the party acting on the subject's behalf; nil when none.
    public var actor: Actor?
    /// RFC 9396 §9: the authorization details the token grants (narrowed at the token
    /// endpoint, §6.1); on a refresh token, those of the grant it can be narrowed from.
    public var authorizationDetails: AuthorizationDetails?

    public init(
        audience: [String] = [],
        confirmation: Confirmation? = nil,
        actor: Actor? = nil,
        authorizationDetails: AuthorizationDetails? = nil
    ) {
        self.audience = audience
        self.confirmation = confirmation
        self.actor = actor
        self.authorizationDetails = authorizationDetails
    }

    /// RFC 8693 §4.1: the `act` claim names the acting party by `sub` (and, for a client,
    /// `client_id`, §4.3). A prior actor in a delegation chain (nested `act`) is not modelled
    /// until token exchange needs it.
    public struct Actor: Sendable, Codable, Equatable {
        public var subject: String
        public var clientID: String?

        public init(subject: String, clientID: String? = nil) {
            self.subject = subject
            self.clientID = clientID
        }

        enum CodingKeys: String, CodingKey {
            case subject = "sub"
            case clientID = "client_id"
        }
    }

    enum CodingKeys: String, CodingKey {
        case audience = "aud"
        case confirmation = "cnf"
        case actor = "act"
        case authorizationDetails = "authorization_details"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        audience = try container.decodeIfPresent([String].self, forKey: .audience) ?? []
        confirmation = try container.decodeIfPresent(Confirmation.self, forKey: .confirmation)
        actor = try container.decodeIfPresent(Actor.self, forKey: .actor)
        authorizationDetails = try container.decodeIfPresent(AuthorizationDetails.self, forKey: .authorizationDetails)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        if !audience.isEmpty { try container.encode(audience, forKey: .audience) }
        try container.encodeIfPresent(confirmation, forKey: .confirmation)
        try container.encodeIfPresent(actor, forKey: .actor)
        try container.encodeIfPresent(authorizationDetails, forKey: .authorizationDetails)
    }

    /// The access token's `token_type` for this binding (`Confirmation.tokenType(for:)`).
    public var tokenType: String { Confirmation.tokenType(for: confirmation) }
}
