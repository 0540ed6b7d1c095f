import CustosCore
import Foundation

/// `dto.CreateClientRequest` and `dto.UpdateClientRequest` (the latter adds `status` and,
/// by our conventions, `cors_origins`): the contract's fields (`ClientRequestFields`), plus
/// every other member of `ClientMetadata` under its wire name, taken generically. A JSON value
/// of the wrong type is a 400 naming the field.
struct ClientRequestBody: Decodable {
    /// Never settable through the admin API.
    static let unsettable: Set<String> = [ClientMetadata.CodingKeys.registrationAccessTokenDigest.rawValue]

    let fields: ClientRequestFields
    /// The other `ClientMetadata` members present, in wire names.
    let members: [String: JSONValue]

    init(from decoder: any Decoder) throws {
        fields = try ClientRequestFields(from: decoder)
        let explicit = Set(ClientRequestFields.CodingKeys.allCases.map(\.rawValue))
        members = try [String: JSONValue](from: decoder).filter { key, _ in
            !explicit.contains(key) && !Self.unsettable.contains(key) && ClientMetadata.CodingKeys(rawValue: key) != nil
                && AdminClientNames.adminName(for: key) == key
        }
    }

    var registration: ClientRegistrationRequest {
        var request = fields.registration
        request.metadataMembers = members
        return request
    }
}

/// The admin contract's client fields, each with the validator's own rule for absence and
/// empty values.
struct ClientRequestFields: Decodable {
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

    enum CodingKeys: String, CodingKey, CaseIterable {
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
/// Optional text fields are "" when unset, so the set of members is always the same. The
/// contract fixes the members, so a new metadata field does not join them (it shows in
/// `ClientItem`).
struct CreateClientResponse: Encodable {
    /// The metadata members of `dto.CreateClientResponse`, in admin names.
    static let contractMembers: Set<String> = [
        "client_auth_methods", "cors_origins", "fapi_profile", "grant_types", "is_confidential", "jwks", "jwks_uri", "logo_url",
        "name", "privacy_policy", "redirect_uris", "scopes", "terms_url", "website",
    ]

    let members: [String: JSONValue]

    init(_ created: CreatedClient) throws {
        let client = created.client
        var members = try AdminClientCodec.members(client.metadata).filter { Self.contractMembers.contains($0.key) }
        members["client_id"] = .string(client.clientID)
        members["client_secret"] = .string(created.secret ?? "")
        members["id"] = .string(client.id)
        members["status"] = .string(client.status.rawValue)
        self.members = members
    }

    func encode(to encoder: any Encoder) throws {
        try members.encode(to: encoder)
    }
}

/// `dto.OAuthClientItem` (get, list, update): every metadata member in admin names
/// (`AdminClientCodec`; `jwks` too, so an administrator can read back the public keys
/// registered) and the record, with the rules that apply (`EffectiveRulesMembers`). Secrets
/// appear only as `secret_last_four`.
struct ClientItem: Encodable {
    let client: OAuthClient

    func encode(to encoder: any Encoder) throws {
        var members = try AdminClientCodec.members(client.metadata)
        members["client_id"] = .string(client.clientID)
        members["created_at"] = .string(Timestamp.string(client.createdAt))
        members["deleted_at"] = .string(Timestamp.string(client.deletedAt))
        members["id"] = .string(client.id)
        members["secret_last_four"] = .string(client.secretLastFour ?? "")
        members["status"] = .string(client.status.rawValue)
        members["tenant_id"] = .string(client.tenant.rawValue)
        members["updated_at"] = .string(Timestamp.string(client.updatedAt))
        members["first_party"] = .bool(client.isFirstParty)
        // What the profile and the flags turn on, as enforced (`EffectiveClientPolicy`).
        members.merge(EffectiveRulesMembers.members(of: client)) { $1 }
        try members.encode(to: encoder)
    }
}
