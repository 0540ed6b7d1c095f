import CustosCore
import Foundation

/// `dto.CreateClientRequest` and `dto.UpdateClientRequest` (the latter adds `status` and,
/// by our conventions, `cors_origins`). A JSON value of the wrong type is a 400 naming the field.
struct ClientRequestBody: Decodable {
    var name: String?
    var redirectURIs: [String]?
    var clientAuthMethods: [String]?
    var fapiProfile: String?
    var grantTypes: [String]?
    var isConfidential: Bool?
    var jwks: String?
    var jwksURI: String?
    var logoURL: String?
    var privacyPolicy: String?
    var scopes: [String]?
    var termsURL: String?
    var website: String?
    var status: String?
    var corsOrigins: [String]?
    var accessTokenFormat: String?
    var postLogoutRedirectURIs: [String]?
    var isResourceServer: Bool?
    var firstParty: Bool?
    var requirePKCE: Bool?
    var requestObjectSigningAlg: String?
    var requestURIs: [String]?
    var requireSignedRequestObject: Bool?

    enum CodingKeys: String, CodingKey {
        case name, jwks, scopes, website, status
        case isResourceServer = "is_resource_server"
        case firstParty = "first_party"
        case requirePKCE = "require_pkce"
        case accessTokenFormat = "access_token_format"
        case postLogoutRedirectURIs = "post_logout_redirect_uris"
        case requestObjectSigningAlg = "request_object_signing_alg"
        case requestURIs = "request_uris"
        case requireSignedRequestObject = "require_signed_request_object"
        case redirectURIs = "redirect_uris"
        case clientAuthMethods = "client_auth_methods"
        case fapiProfile = "fapi_profile"
        case grantTypes = "grant_types"
        case isConfidential = "is_confidential"
        case jwksURI = "jwks_uri"
        case logoURL = "logo_url"
        case privacyPolicy = "privacy_policy"
        case termsURL = "terms_url"
        case corsOrigins = "cors_origins"
    }

    var registration: ClientRegistrationRequest {
        var request = ClientRegistrationRequest(
            name: name,
            redirectURIs: redirectURIs,
            clientAuthMethods: clientAuthMethods,
            fapiProfile: fapiProfile,
            grantTypes: grantTypes,
            isConfidential: isConfidential,
            jwks: jwks,
            jwksURI: jwksURI,
            logoURL: logoURL,
            privacyPolicy: privacyPolicy,
            scopes: scopes,
            termsURL: termsURL,
            website: website,
            status: status,
            corsOrigins: corsOrigins,
            accessTokenFormat: accessTokenFormat,
            postLogoutRedirectURIs: postLogoutRedirectURIs,
            isResourceServer: isResourceServer,
            firstParty: firstParty,
            requirePKCE: requirePKCE
        )
        request.requestObjectSigningAlg = requestObjectSigningAlg
        request.requestURIs = requestURIs
        request.requireSignedRequestObject = requireSignedRequestObject
        return request

    }
}

/// `dto.CreateClientResponse`, field for field; also serves `dto.CloneClientResponse`.
/// Optional text fields are "" when unset, so the set of members is always the same.
struct CreateClientResponse: Encodable {
    let clientAuthMethods: [String]
    let clientID: String
    let clientSecret: String
    let corsOrigins: [String]
    let fapiProfile: String
    let grantTypes: [String]
    let id: String
    let isConfidential: Bool
    let jwks: String
    let jwksURI: String
    let logoURL: String
    let name: String
    let privacyPolicy: String
    let redirectURIs: [String]
    let scopes: [String]
    let status: String
    let termsURL: String
    let website: String

    enum CodingKeys: String, CodingKey {
        case id, jwks, name, scopes, status, website
        case clientAuthMethods = "client_auth_methods"
        case clientID = "client_id"
        case clientSecret = "client_secret"
        case corsOrigins = "cors_origins"
        case fapiProfile = "fapi_profile"
        case grantTypes = "grant_types"
        case isConfidential = "is_confidential"
        case jwksURI = "jwks_uri"
        case logoURL = "logo_url"
        case privacyPolicy = "privacy_policy"
        case redirectURIs = "redirect_uris"
        case termsURL = "terms_url"
    }

    init(_ created: CreatedClient) {
        let client = created.client
        clientAuthMethods = client.authMethods.map(\.rawValue)
        clientID = client.clientID
        clientSecret = created.secret ?? ""
        corsOrigins = client.corsOrigins
        fapiProfile = client.fapiProfile.rawValue
        grantTypes = client.grantTypes.map(\.rawValue)
        id = client.id
        isConfidential = client.isConfidential
        jwks = client.jwks ?? ""
        jwksURI = client.jwksURI ?? ""
        logoURL = client.logoURL ?? ""
        name = client.name
        privacyPolicy = client.privacyPolicy ?? ""
        redirectURIs = client.redirectURIs
        scopes = client.scopes
        status = client.status.rawValue
        termsURL = client.termsURL ?? ""
        website = client.website ?? ""
    }
}

/// `dto.OAuthClientItem` (get, list, update), plus `jwks` so an administrator can read back
/// the public keys registered. Secrets appear only as `secret_last_four`.
struct ClientItem: Encodable {
    let client: OAuthClient

    enum CodingKeys: String, CodingKey {
        case id, jwks, name, scopes, status, website
        case clientAuthMethods = "client_auth_methods"
        case clientID = "client_id"
        case corsOrigins = "cors_origins"
        case createdAt = "created_at"
        case deletedAt = "deleted_at"
        case fapiProfile = "fapi_profile"
        case grantTypes = "grant_types"
        case isConfidential = "is_confidential"
        case jwksURI = "jwks_uri"
        case logoURL = "logo_url"
        case privacyPolicy = "privacy_policy"
        case redirectURIs = "redirect_uris"
        case secretLastFour = "secret_last_four"
        case tenantID = "tenant_id"
        case termsURL = "terms_url"
        case updatedAt = "updated_at"
        case accessTokenFormat = "access_token_format"
        case postLogoutRedirectURIs = "post_logout_redirect_uris"
        case isResourceServer = "is_resource_server"
        case firstParty = "first_party"
        case requirePKCE = "require_pkce"
        case requestObjectSigningAlg = "request_object_signing_alg"
        case requestURIs = "request_uris"
        case requireSignedRequestObject = "require_signed_request_object"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(client.authMethods.map(\.rawValue), forKey: .clientAuthMethods)
        try container.encode(client.clientID, forKey: .clientID)
        try container.encode(client.corsOrigins, forKey: .corsOrigins)
        try container.encode(Timestamp.string(client.createdAt), forKey: .createdAt)
        try container.encode(Timestamp.string(client.deletedAt), forKey: .deletedAt)
        try container.encode(client.fapiProfile.rawValue, forKey: .fapiProfile)
        try container.encode(client.grantTypes.map(\.rawValue), forKey: .grantTypes)
        try container.encode(client.id, forKey: .id)
        try container.encode(client.isConfidential, forKey: .isConfidential)
        try container.encode(client.jwks ?? "", forKey: .jwks)
        try container.encode(client.jwksURI ?? "", forKey: .jwksURI)
        try container.encode(client.logoURL ?? "", forKey: .logoURL)
        try container.encode(client.name, forKey: .name)
        try container.encode(client.privacyPolicy ?? "", forKey: .privacyPolicy)
        try container.encode(client.redirectURIs, forKey: .redirectURIs)
        try container.encode(client.scopes, forKey: .scopes)
        try container.encode(client.secretLastFour ?? "", forKey: .secretLastFour)
        try container.encode(client.status.rawValue, forKey: .status)
        try container.encode(client.tenant.rawValue, forKey: .tenantID)
        try container.encode(client.termsURL ?? "", forKey: .termsURL)
        try container.encode(Timestamp.string(client.updatedAt), forKey: .updatedAt)
        try container.encode(client.website ?? "", forKey: .website)
        try container.encode(client.accessTokenFormat.rawValue, forKey: .accessTokenFormat)
        try container.encode(client.openID.postLogoutRedirectURIs ?? [], forKey: .postLogoutRedirectURIs)
        try container.encode(client.openID.isResourceServer == true, forKey: .isResourceServer)
        try container.encode(client.isFirstParty, forKey: .firstParty)
        try container.encode(client.requiresPKCE, forKey: .requirePKCE)
        try container.encode(client.openID.requestObjectSigningAlg ?? "", forKey: .requestObjectSigningAlg)
        try container.encode(client.openID.requestURIs ?? [], forKey: .requestURIs)
        try container.encode(client.openID.requireSignedRequestObject ?? false, forKey: .requireSignedRequestObject)
    }
}
