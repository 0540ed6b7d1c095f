/// The client metadata an administrator sends, before validation. Every field is optional
/// here because the same shape serves create (where some are required) and partial update
/// (where an absent field keeps its stored value and an empty string clears an optional URL).
public struct ClientRegistrationRequest: Sendable, Equatable {
    public var name: String?
    public var redirectURIs: [String]?
    public var clientAuthMethods: [String]?
    public var fapiProfile: String?
    public var grantTypes: [String]?
    public var isConfidential: Bool?
    public var jwks: String?
    public var jwksURI: String?
    public var logoURL: String?
    public var privacyPolicy: String?
    public var scopes: [String]?
    public var termsURL: String?
    public var website: String?
    /// Update only.
    public var status: String?
    /// Update only: the server derives CORS origins from the redirect URIs unless set here.
    public var corsOrigins: [String]?
    /// `jwt` (default) or `opaque`.
    public var accessTokenFormat: String?
    /// OpenID Connect metadata (dynamic registration): only its OpenID members count; nil keeps
    /// the stored value.
    public var openID: ClientMetadata?
    /// RP-Initiated Logout §3.1 (admin API): replaces only this member of the stored OpenID
    /// metadata; nil keeps it.
    public var postLogoutRedirectURIs: [String]?
    /// Admin API only (dynamic registration never sets it): may introspect other clients' tokens; nil keeps the stored value.
    public var isResourceServer: Bool?
    /// Admin API only: the administrator marks the client first-party (rule 1). Dynamic
    /// registration never sets it. nil keeps the stored value (false on create).
    public var firstParty: Bool?
    /// Admin API only: false lets a confidential, non-FAPI client omit PKCE (rule 17). nil
    /// keeps the stored value (true on create).
    public var requirePKCE: Bool?
    /// Request objects (admin API): each replaces only its member of the stored OpenID
    /// metadata; nil keeps it (an empty string or list clears it).
    public var requestObjectSigningAlg: String?
    public var requestURIs: [String]?
    public var requireSignedRequestObject: Bool?
    /// Admin API: the members of `ClientMetadata` that have no field of their own above, in
    /// wire names, each replacing its stored value (null clears it). A member added to
    /// `ClientMetadata` arrives this way, with no edit here.
    public var metadataMembers: [String: JSONValue] = [:]

    public init(
        name: String? = nil,
        redirectURIs: [String]? = nil,
        clientAuthMethods: [String]? = nil,
        fapiProfile: String? = nil,
        grantTypes: [String]? = nil,
        isConfidential: Bool? = nil,
        jwks: String? = nil,
        jwksURI: String? = nil,
        logoURL: String? = nil,
        privacyPolicy: String? = nil,
        scopes: [String]? = nil,
        termsURL: String? = nil,
        website: String? = nil,
        status: String? = nil,
        corsOrigins: [String]? = nil,
        accessTokenFormat: String? = nil,
        openID: ClientMetadata? = nil,
        postLogoutRedirectURIs: [String]? = nil,
        isResourceServer: Bool? = nil,
        firstParty: Bool? = nil,
        requirePKCE: Bool? = nil
    ) {
        self.isResourceServer = isResourceServer
        self.firstParty = firstParty
        self.requirePKCE = requirePKCE
        self.postLogoutRedirectURIs = postLogoutRedirectURIs
        self.name = name
        self.redirectURIs = redirectURIs
        self.clientAuthMethods = clientAuthMethods
        self.fapiProfile = fapiProfile
        self.grantTypes = grantTypes
        self.isConfidential = isConfidential
        self.jwks = jwks
        self.jwksURI = jwksURI
        self.logoURL = logoURL
        self.privacyPolicy = privacyPolicy
        self.scopes = scopes
        self.termsURL = termsURL
        self.website = website
        self.status = status
        self.corsOrigins = corsOrigins
        self.accessTokenFormat = accessTokenFormat
        self.openID = openID
    }
}
