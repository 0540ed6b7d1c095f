import Foundation

/// Everything a client declares about itself, in one `Codable` value: the single source of
/// truth that the validator checks, the store keeps (the `metadata` JSON column), the admin
/// API renames (`AdminClientNames`) and dynamic registration reads and writes.
///
/// The coding keys are the wire names of RFC 7591 §2 and OpenID Connect Dynamic Client
/// Registration §2 (with the Back-/Front-Channel and RP-Initiated Logout additions). Where no
/// specification names a fact, the key is the name the admin API already uses (`fapi_profile`,
/// `access_token_format`, `cors_origins`, `is_confidential`, `is_resource_server`), and
/// `token_endpoint_auth_methods` is the plural of RFC 7591's member because a Custos client
/// may register several methods.
///
/// Decoding is tolerant: an absent member takes its default and an unknown enum value is
/// dropped, so a document written by an older version still decodes. A new field is one
/// property here, one coding key, one line in `init(from:)` and `encode(to:)`.
public struct ClientMetadata: Sendable, Equatable, Codable {
    /// `client_name`.
    public var name: String = ""
    /// Whether the client holds credentials (OAuth 2.1 §2.1); a Custos extension.
    public var isConfidential: Bool = true
    public var redirectURIs: [String] = []
    public var grantTypes: [GrantType] = []
    public var authMethods: [ClientAuthenticationMethod] = []
    /// `scope`: on the wire one space-delimited string (RFC 7591 §2).
    public var scopes: [String] = []
    public var corsOrigins: [String] = []
    /// A JWK Set as JSON text, exactly as registered (stored as a string; the registration
    /// codec turns it into the RFC 7591 object).
    public var jwks: String?
    public var jwksURI: String?
    /// `logo_uri`.
    public var logoURL: String?
    /// `policy_uri`.
    public var privacyPolicy: String?
    /// `tos_uri`.
    public var termsURL: String?
    /// `client_uri`.
    public var website: String?
    public var fapiProfile: FAPIProfile = .none
    public var accessTokenFormat: AccessTokenFormat = .jwt
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
    public var requestObjectSigningAlg: String?
    /// RFC 9101 §10.5: every authorization request from this client must be a signed request
    /// object; only the object's parameters count.
    public var requireSignedRequestObject: Bool?
    /// OpenID Connect Registration §2: the only `request_uri` values the client may use.
    public var requestURIs: [String]?
    /// Set for clients created through dynamic registration (RFC 7592): the digest of their
    /// registration access token. Neither the admin API nor registration ever shows it.
    public var registrationAccessTokenDigest: String?
    /// Set only by an administrator (never by dynamic registration): the client is a resource
    /// server and may introspect tokens issued to other clients.
    public var isResourceServer: Bool?
    /// RFC 9126 §6: every authorization request of this client must come through PAR.
    public var requirePushedAuthorizationRequests: Bool?
    /// RFC 9449 §5.2: every token request of this client must carry a DPoP proof.
    public var dpopBoundAccessTokens: Bool?
    /// RFC 8705 §3.4: the client's access tokens are bound to its TLS certificate.
    public var tlsClientCertificateBoundAccessTokens: Bool?
    /// RFC 8705 §2.1.2: for `tls_client_auth`, exactly one of these names the certificate the
    /// client authenticates with (the subject DN, or one subjectAltName entry).
    public var tlsClientAuthSubjectDN: String?
    public var tlsClientAuthSANDNS: String?
    public var tlsClientAuthSANURI: String?
    public var tlsClientAuthSANIP: String?
    public var tlsClientAuthSANEmail: String?
    /// JARM §3 (`authorization_signed_response_alg`): the algorithm of the client's JWT
    /// authorization responses; unset, the server's default signing key's.
    public var authorizationSignedResponseAlg: String?
    /// RFC 9701 §6 (`introspection_signed_response_alg`): the algorithm of the introspection
    /// responses this client asks for as JWTs; unset, the server's default signing key's.
    public var introspectionSignedResponseAlg: String?
    /// RFC 9396 §10 (`authorization_details_types`): the `type` values the client may use in
    /// `authorization_details`.
    public var authorizationDetailsTypes: [String]?

    public init(
        name: String = "",
        isConfidential: Bool = true,
        redirectURIs: [String] = [],
        grantTypes: [GrantType] = [],
        authMethods: [ClientAuthenticationMethod] = [],
        scopes: [String] = [],
        corsOrigins: [String] = [],
        jwks: String? = nil,
        jwksURI: String? = nil,
        logoURL: String? = nil,
        privacyPolicy: String? = nil,
        termsURL: String? = nil,
        website: String? = nil,
        fapiProfile: FAPIProfile = .none,
        accessTokenFormat: AccessTokenFormat = .jwt
    ) {
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
    }

    public enum CodingKeys: String, CodingKey, CaseIterable, Sendable {
        case name = "client_name"
        case isConfidential = "is_confidential"
        case redirectURIs = "redirect_uris"
        case grantTypes = "grant_types"
        case authMethods = "token_endpoint_auth_methods"
        case scopes = "scope"
        case corsOrigins = "cors_origins"
        case jwks
        case jwksURI = "jwks_uri"
        case logoURL = "logo_uri"
        case privacyPolicy = "policy_uri"
        case termsURL = "tos_uri"
        case website = "client_uri"
        case fapiProfile = "fapi_profile"
        case accessTokenFormat = "access_token_format"
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
        case contacts
        case softwareID = "software_id"
        case softwareVersion = "software_version"
        case requestObjectSigningAlg = "request_object_signing_alg"
        case requireSignedRequestObject = "require_signed_request_object"
        case requestURIs = "request_uris"
        case registrationAccessTokenDigest = "registration_access_token_digest"
        case isResourceServer = "is_resource_server"
        case requirePushedAuthorizationRequests = "require_pushed_authorization_requests"
        case dpopBoundAccessTokens = "dpop_bound_access_tokens"
        case tlsClientCertificateBoundAccessTokens = "tls_client_certificate_bound_access_tokens"
        case tlsClientAuthSubjectDN = "tls_client_auth_subject_dn"
        case tlsClientAuthSANDNS = "tls_client_auth_san_dns"
        case tlsClientAuthSANURI = "tls_client_auth_san_uri"
        case tlsClientAuthSANIP = "tls_client_auth_san_ip"
        case tlsClientAuthSANEmail = "tls_client_auth_san_email"
        case authorizationSignedResponseAlg = "authorization_signed_response_alg"
        case introspectionSignedResponseAlg = "introspection_signed_response_alg"
        case authorizationDetailsTypes = "authorization_details_types"
    }

    /// How a document spells the metadata: as stored (and as the admin codec renames it), or
    /// as an RFC 7591 registration request sends it.
    public enum WireForm: Sendable {
        /// Tolerant: an unknown enum value is dropped (a value an older version accepted).
        case stored
        /// RFC 7591 §2: `jwks` is a JWK Set object, an unknown grant type is an error, and the
        /// members in `notRegistrationMembers` are not read.
        case registration
    }

    /// The `JSONDecoder.userInfo` key that selects the `WireForm` (default `.stored`).
    public static let wireFormKey = CodingUserInfoKey(rawValue: "custos.clientMetadata.wireForm")!

    /// Members registration does not decode into the metadata: the administrator's extensions,
    /// the token digest, and the list of authentication methods (RFC 7591 carries one,
    /// `token_endpoint_auth_method`). `fapi_profile` is the exception registration reads on
    /// its own (`RegistrationMetadata.fapiProfile`) and shows once set.
    public static let notRegistrationMembers: [CodingKeys] = [
        .isConfidential, .corsOrigins, .fapiProfile, .accessTokenFormat, .isResourceServer, .registrationAccessTokenDigest, .authMethods,
    ]

    public init(from decoder: any Decoder) throws {
        let form = decoder.userInfo[Self.wireFormKey] as? WireForm ?? .stored
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func values<Value: RawRepresentable>(_ key: CodingKeys, as _: Value.Type) throws -> [Value] where Value.RawValue == String {
            let raw = try container.decodeIfPresent([String].self, forKey: key) ?? []
            if form == .registration, let unknown = raw.first(where: { Value(rawValue: $0) == nil }) {
                throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "unknown or unsupported value \"\(unknown)\"")
            }
            return raw.compactMap(Value.init(rawValue:))
        }
        name = try container.decodeIfPresent(String.self, forKey: .name) ?? ""
        redirectURIs = try container.decodeIfPresent([String].self, forKey: .redirectURIs) ?? []
        grantTypes = try values(.grantTypes, as: GrantType.self)
        scopes = try (container.decodeIfPresent(String.self, forKey: .scopes) ?? "").split(separator: " ").map(String.init)
        switch form {
        case .stored:
            jwks = try container.decodeIfPresent(String.self, forKey: .jwks)
            isConfidential = try container.decodeIfPresent(Bool.self, forKey: .isConfidential) ?? true
            authMethods = try values(.authMethods, as: ClientAuthenticationMethod.self)
            corsOrigins = try container.decodeIfPresent([String].self, forKey: .corsOrigins) ?? []
            fapiProfile = try container.decodeIfPresent(String.self, forKey: .fapiProfile).flatMap(FAPIProfile.init(rawValue:)) ?? .none
            accessTokenFormat =
                try container.decodeIfPresent(String.self, forKey: .accessTokenFormat).flatMap(AccessTokenFormat.init(rawValue:)) ?? .jwt
            registrationAccessTokenDigest = try container.decodeIfPresent(String.self, forKey: .registrationAccessTokenDigest)
            isResourceServer = try container.decodeIfPresent(Bool.self, forKey: .isResourceServer)
        case .registration:
            // Kept as its JSON text, as the admin API registers it.
            if let set = try container.decodeIfPresent([String: JSONValue].self, forKey: .jwks) {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                jwks = String(decoding: try encoder.encode(set), as: UTF8.self)
            }
        }
        jwksURI = try container.decodeIfPresent(String.self, forKey: .jwksURI)
        logoURL = try container.decodeIfPresent(String.self, forKey: .logoURL)
        privacyPolicy = try container.decodeIfPresent(String.self, forKey: .privacyPolicy)
        termsURL = try container.decodeIfPresent(String.self, forKey: .termsURL)
        website = try container.decodeIfPresent(String.self, forKey: .website)
        idTokenSignedResponseAlg = try container.decodeIfPresent(String.self, forKey: .idTokenSignedResponseAlg)
        userinfoSignedResponseAlg = try container.decodeIfPresent(String.self, forKey: .userinfoSignedResponseAlg)
        subjectType = try container.decodeIfPresent(String.self, forKey: .subjectType)
        sectorIdentifierURI = try container.decodeIfPresent(String.self, forKey: .sectorIdentifierURI)
        postLogoutRedirectURIs = try container.decodeIfPresent([String].self, forKey: .postLogoutRedirectURIs)
        backchannelLogoutURI = try container.decodeIfPresent(String.self, forKey: .backchannelLogoutURI)
        backchannelLogoutSessionRequired = try container.decodeIfPresent(Bool.self, forKey: .backchannelLogoutSessionRequired)
        frontchannelLogoutURI = try container.decodeIfPresent(String.self, forKey: .frontchannelLogoutURI)
        frontchannelLogoutSessionRequired = try container.decodeIfPresent(Bool.self, forKey: .frontchannelLogoutSessionRequired)
        defaultMaxAge = try container.decodeIfPresent(Int.self, forKey: .defaultMaxAge)
        requireAuthTime = try container.decodeIfPresent(Bool.self, forKey: .requireAuthTime)
        contacts = try container.decodeIfPresent([String].self, forKey: .contacts)
        softwareID = try container.decodeIfPresent(String.self, forKey: .softwareID)
        softwareVersion = try container.decodeIfPresent(String.self, forKey: .softwareVersion)
        requestObjectSigningAlg = try container.decodeIfPresent(String.self, forKey: .requestObjectSigningAlg)
        requireSignedRequestObject = try container.decodeIfPresent(Bool.self, forKey: .requireSignedRequestObject)
        requestURIs = try container.decodeIfPresent([String].self, forKey: .requestURIs)
        requirePushedAuthorizationRequests = try container.decodeIfPresent(Bool.self, forKey: .requirePushedAuthorizationRequests)
        dpopBoundAccessTokens = try container.decodeIfPresent(Bool.self, forKey: .dpopBoundAccessTokens)
        tlsClientCertificateBoundAccessTokens = try container.decodeIfPresent(Bool.self, forKey: .tlsClientCertificateBoundAccessTokens)
        tlsClientAuthSubjectDN = try container.decodeIfPresent(String.self, forKey: .tlsClientAuthSubjectDN)
        tlsClientAuthSANDNS = try container.decodeIfPresent(String.self, forKey: .tlsClientAuthSANDNS)
        tlsClientAuthSANURI = try container.decodeIfPresent(String.self, forKey: .tlsClientAuthSANURI)
        tlsClientAuthSANIP = try container.decodeIfPresent(String.self, forKey: .tlsClientAuthSANIP)
        tlsClientAuthSANEmail = try container.decodeIfPresent(String.self, forKey: .tlsClientAuthSANEmail)
        authorizationSignedResponseAlg = try container.decodeIfPresent(String.self, forKey: .authorizationSignedResponseAlg)
        introspectionSignedResponseAlg = try container.decodeIfPresent(String.self, forKey: .introspectionSignedResponseAlg)
        authorizationDetailsTypes = try container.decodeIfPresent([String].self, forKey: .authorizationDetailsTypes)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(isConfidential, forKey: .isConfidential)
        try container.encode(redirectURIs, forKey: .redirectURIs)
        try container.encode(grantTypes, forKey: .grantTypes)
        try container.encode(authMethods, forKey: .authMethods)
        try container.encode(scopes.joined(separator: " "), forKey: .scopes)
        try container.encode(corsOrigins, forKey: .corsOrigins)
        try container.encodeIfPresent(jwks, forKey: .jwks)
        try container.encodeIfPresent(jwksURI, forKey: .jwksURI)
        try container.encodeIfPresent(logoURL, forKey: .logoURL)
        try container.encodeIfPresent(privacyPolicy, forKey: .privacyPolicy)
        try container.encodeIfPresent(termsURL, forKey: .termsURL)
        try container.encodeIfPresent(website, forKey: .website)
        try container.encode(fapiProfile, forKey: .fapiProfile)
        try container.encode(accessTokenFormat, forKey: .accessTokenFormat)
        try container.encodeIfPresent(idTokenSignedResponseAlg, forKey: .idTokenSignedResponseAlg)
        try container.encodeIfPresent(userinfoSignedResponseAlg, forKey: .userinfoSignedResponseAlg)
        try container.encodeIfPresent(subjectType, forKey: .subjectType)
        try container.encodeIfPresent(sectorIdentifierURI, forKey: .sectorIdentifierURI)
        try container.encodeIfPresent(postLogoutRedirectURIs, forKey: .postLogoutRedirectURIs)
        try container.encodeIfPresent(backchannelLogoutURI, forKey: .backchannelLogoutURI)
        try container.encodeIfPresent(backchannelLogoutSessionRequired, forKey: .backchannelLogoutSessionRequired)
        try container.encodeIfPresent(frontchannelLogoutURI, forKey: .frontchannelLogoutURI)
        try container.encodeIfPresent(frontchannelLogoutSessionRequired, forKey: .frontchannelLogoutSessionRequired)
        try container.encodeIfPresent(defaultMaxAge, forKey: .defaultMaxAge)
        try container.encodeIfPresent(requireAuthTime, forKey: .requireAuthTime)
        try container.encodeIfPresent(contacts, forKey: .contacts)
        try container.encodeIfPresent(softwareID, forKey: .softwareID)
        try container.encodeIfPresent(softwareVersion, forKey: .softwareVersion)
        try container.encodeIfPresent(requestObjectSigningAlg, forKey: .requestObjectSigningAlg)
        try container.encodeIfPresent(requireSignedRequestObject, forKey: .requireSignedRequestObject)
        try container.encodeIfPresent(requestURIs, forKey: .requestURIs)
        try container.encodeIfPresent(registrationAccessTokenDigest, forKey: .registrationAccessTokenDigest)
        try container.encodeIfPresent(isResourceServer, forKey: .isResourceServer)
        try container.encodeIfPresent(requirePushedAuthorizationRequests, forKey: .requirePushedAuthorizationRequests)
        try container.encodeIfPresent(dpopBoundAccessTokens, forKey: .dpopBoundAccessTokens)
        try container.encodeIfPresent(tlsClientCertificateBoundAccessTokens, forKey: .tlsClientCertificateBoundAccessTokens)
        try container.encodeIfPresent(tlsClientAuthSubjectDN, forKey: .tlsClientAuthSubjectDN)
        try container.encodeIfPresent(tlsClientAuthSANDNS, forKey: .tlsClientAuthSANDNS)
        try container.encodeIfPresent(tlsClientAuthSANURI, forKey: .tlsClientAuthSANURI)
        try container.encodeIfPresent(tlsClientAuthSANIP, forKey: .tlsClientAuthSANIP)
        try container.encodeIfPresent(tlsClientAuthSANEmail, forKey: .tlsClientAuthSANEmail)
        try container.encodeIfPresent(authorizationSignedResponseAlg, forKey: .authorizationSignedResponseAlg)
        try container.encodeIfPresent(introspectionSignedResponseAlg, forKey: .introspectionSignedResponseAlg)
        try container.encodeIfPresent(authorizationDetailsTypes, forKey: .authorizationDetailsTypes)
    }

    /// The algorithm of the client's ID tokens: its registered one, else RS256 (OpenID
    /// Connect Registration §2: the default), or ES256 for a FAPI client, which may not be
    /// given RS256 (FAPI 2.0 Security Profile §5.4.1).
    public var idTokenAlgorithm: SigningAlgorithm {
        idTokenSignedResponseAlg.flatMap(SigningAlgorithm.init(rawValue:)) ?? (fapiProfile == .none ? .RS256 : .ES256)
    }

    public var usesPairwiseSubjects: Bool { subjectType == "pairwise" }

    /// The encoded metadata, member by member (wire names; an unset optional is absent): what
    /// the admin and registration codecs rename and what `ClientManagement` compares to list
    /// the changed fields.
    public func members() throws -> [String: JSONValue] {
        try JSONDecoder().decode([String: JSONValue].self, from: try JSONEncoder().encode(self))
    }

    /// The members whose values differ between two metadata documents (absent and present
    /// count as different), in wire names, sorted.
    public static func changedMembers(_ before: ClientMetadata, _ after: ClientMetadata) throws -> [String] {
        let old = try before.members()
        let new = try after.members()
        return Set(old.keys).union(new.keys).filter { old[$0] != new[$0] }.sorted()
    }
}
