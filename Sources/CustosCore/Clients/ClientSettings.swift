/// The administrator-controlled part of a client, after defaults and validation.
public struct ClientSettings: Sendable, Equatable {
    public var name: String
    public var isConfidential: Bool
    public var redirectURIs: [String]
    public var grantTypes: [GrantType]
    public var authMethods: [ClientAuthenticationMethod]
    public var scopes: [String]
    public var corsOrigins: [String]
    public var jwks: String?
    public var jwksURI: String?
    public var logoURL: String?
    public var privacyPolicy: String?
    public var termsURL: String?
    public var website: String?
    public var fapiProfile: FAPIProfile
    public var accessTokenFormat: AccessTokenFormat = .jwt
    public var status: ClientStatus
    public var openID = OpenIDClientMetadata()
    public var isFirstParty = false
    public var pkceRequired = true
}

extension OAuthClient {
    public var settings: ClientSettings {
        ClientSettings(
            name: name,
            isConfidential: isConfidential,
            redirectURIs: redirectURIs,
            grantTypes: grantTypes,
            authMethods: authMethods,
            scopes: scopes,
            corsOrigins: corsOrigins,
            jwks: jwks,
            jwksURI: jwksURI,
            logoURL: logoURL,
            privacyPolicy: privacyPolicy,
            termsURL: termsURL,
            website: website,
            fapiProfile: fapiProfile,
            accessTokenFormat: accessTokenFormat,
            status: status,
            openID: openID,
            isFirstParty: isFirstParty,
            pkceRequired: pkceRequired
        )
    }

    public mutating func apply(_ settings: ClientSettings) {
        name = settings.name
        isConfidential = settings.isConfidential
        redirectURIs = settings.redirectURIs
        grantTypes = settings.grantTypes
        authMethods = settings.authMethods
        scopes = settings.scopes
        corsOrigins = settings.corsOrigins
        jwks = settings.jwks
        jwksURI = settings.jwksURI
        logoURL = settings.logoURL
        privacyPolicy = settings.privacyPolicy
        termsURL = settings.termsURL
        website = settings.website
        fapiProfile = settings.fapiProfile
        accessTokenFormat = settings.accessTokenFormat
        status = settings.status
        openID = settings.openID
        isFirstParty = settings.isFirstParty
        pkceRequired = settings.pkceRequired
    }
}
