/// The OpenID Connect and RFC 7591 client metadata beyond the admin contract's fields
/// (OpenID Connect Dynamic Client Registration §2; Back-/Front-Channel Logout; RP-Initiated
/// Logout). Stored as one JSON document with the client.
public struct OpenIDClientMetadata: Sendable, Equatable, Codable {
    public var idTokenSignedResponseAlg: String?
    public var userinfoSignedResponseAlg: String?
    public var subjectType: String?
    public var sectorIdentifierURI: String?
    public var postLogoutRedirectURIs: [String]?
    public var backchannelLogoutURI: String?
    public var backchannelLogoutSessionRequired: Bool?
    public var frontchannelLogoutURI: String?
    public var frontchannelLogoutSessionRequired: Bool?
    public var defaultMaxAge: Int?
    public var requireAuthTime: Bool?
    public var contacts: [String]?
    public var softwareID: String?
    public var softwareVersion: String?
    public var clientURI: String?
    public var policyURI: String?
    public var tosURI: String?
    public var requestObjectSigningAlg: String?
    /// RFC 9101 §10.5: every authorization request from this client must be a signed request
    /// object; only the object's parameters count.
    public var requireSignedRequestObject: Bool?
    /// OpenID Connect Registration §2: the only `request_uri` values the client may use.
    public var requestURIs: [String]?
    /// Set for clients created through dynamic registration (RFC 7592): the digest of their
    /// registration access token.
    public var registrationAccessTokenDigest: String?
    /// Set only by an administrator (never by dynamic registration): the client is a resource
    /// server and may introspect tokens issued to other clients.
    public var isResourceServer: Bool?

    public init() {}

    enum CodingKeys: String, CodingKey {
        case contacts
        case idTokenSignedResponseAlg = "id_token_signed_response_alg"
        case userinfoSignedResponseAlg = "userinfo_signed_response_alg"
        case subjectType = "subject_type"
        case sectorIdentifierURI = "sector_identifier_uri"
        case postLogoutRedirectURIs = "post_logout_redirect_uris"
        case backchannelLogoutURI = "backchannel_logout_uri"
        case backchannelLogoutSessionRequired = "backchannel_logout_session_required"
        case frontchannelLogoutURI = "frontchannel_logout_uri"
        case frontchannelLogoutSessionRequired = "frontchannel_logout_session_required"
        case defaultMaxAge = "default_max_age"
        case requireAuthTime = "require_auth_time"
        case softwareID = "software_id"
        case softwareVersion = "software_version"
        case clientURI = "client_uri"
        case policyURI = "policy_uri"
        case tosURI = "tos_uri"
        case requestObjectSigningAlg = "request_object_signing_alg"
        case requireSignedRequestObject = "require_signed_request_object"
        case requestURIs = "request_uris"
        case registrationAccessTokenDigest = "registration_access_token_digest"
        case isResourceServer = "is_resource_server"
    }

    /// The algorithm of the client's ID tokens: its registered one, else RS256 (OpenID
    /// Connect Registration §2: the default).
    public var idTokenAlgorithm: SigningAlgorithm {
        idTokenSignedResponseAlg.flatMap(SigningAlgorithm.init(rawValue:)) ?? .RS256
    }

    public var usesPairwiseSubjects: Bool { subjectType == "pairwise" }
}
