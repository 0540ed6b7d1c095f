import Foundation

/// A registered OAuth client as stored. Secrets live apart from it (`ClientSecretRecord`),
/// so nothing that reads a client can leak one.
public struct OAuthClient: Sendable, Equatable {
    /// Internal record id (ULID).
    public var id: String
    public var tenant: TenantID
    /// The public identifier the client presents in protocol requests.
    public var clientID: String
    public var name: String
    public var isConfidential: Bool
    public var redirectURIs: [String]
    public var grantTypes: [GrantType]
    public var authMethods: [ClientAuthenticationMethod]
    public var scopes: [String]
    public var corsOrigins: [String]
    /// A JWK Set as JSON text, exactly as registered.
    public var jwks: String?
    public var jwksURI: String?
    public var logoURL: String?
    public var privacyPolicy: String?
    public var termsURL: String?
    public var website: String?
    public var fapiProfile: FAPIProfile
    public var accessTokenFormat: AccessTokenFormat
    /// OpenID Connect and dynamic-registration metadata.
    public var openID: OpenIDClientMetadata = OpenIDClientMetadata()
    public var status: ClientStatus
    /// Set by an administrator only (rule 1): a client of the operator itself. Dynamic
    /// registration never sets it.
    public var isFirstParty: Bool = false
    /// The administrator's PKCE setting (rule 17); `requiresPKCE` is what applies.
    public var pkceRequired: Bool = true
    /// Last four characters of the newest active secret, for display only.
    public var secretLastFour: String?
    public var createdAt: Date
    public var updatedAt: Date
    public var deletedAt: Date?

    public init(
        id: String,
        tenant: TenantID,
        clientID: String,
        name: String,
        isConfidential: Bool,
        redirectURIs: [String],
        grantTypes: [GrantType],
        authMethods: [ClientAuthenticationMethod],
        scopes: [String],
        corsOrigins: [String],
        jwks: String? = nil,
        jwksURI: String? = nil,
        logoURL: String? = nil,
        privacyPolicy: String? = nil,
        termsURL: String? = nil,
        website: String? = nil,
        fapiProfile: FAPIProfile = .none,
        accessTokenFormat: AccessTokenFormat = .jwt,
        status: ClientStatus = .active,
        secretLastFour: String? = nil,
        createdAt: Date,
        updatedAt: Date,
        deletedAt: Date? = nil
    ) {
        self.id = id
        self.tenant = tenant
        self.clientID = clientID
        self.name = name
        self.isConfidential = isConfidential
        self.redirectURIs = redirectURIs
        self.grantTypes = grantTypes
        self.authMethods = authMethods
        self.scopes = scopes
        self.corsOrigins = corsOrigins
        self.jwks = jwks
        self.jwksURI = jwksURI
        self.logoURL = logoURL
        self.privacyPolicy = privacyPolicy
        self.termsURL = termsURL
        self.website = website
        self.fapiProfile = fapiProfile
        self.accessTokenFormat = accessTokenFormat
        self.status = status
        self.secretLastFour = secretLastFour
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.deletedAt = deletedAt
    }

    /// Whether authorization requests must carry an S256 PKCE challenge: always for public
    /// and FAPI clients, otherwise unless the administrator set `require_pkce: false` for a
    /// relying party that predates PKCE (RFC 9700 §2.1.1 then asks for a nonce instead).
    public var requiresPKCE: Bool { pkceRequired || !isConfidential || fapiProfile != .none }

    /// Whether any registered method needs a secret issued by Custos.
    public var usesSharedSecret: Bool { authMethods.contains(where: \.usesSharedSecret) }
}
