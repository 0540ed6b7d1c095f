import Foundation

/// A registered OAuth client as stored: the record (identity, status, the administrator's
/// flags, timestamps) and what the client declares (`metadata`). Secrets live apart from it
/// (`ClientSecretRecord`), so nothing that reads a client can leak one.
///
/// Every metadata field reads as a property of the client (`client.grantTypes`,
/// `client.authMethods`, `client.fapiProfile`…) through dynamic member lookup.
@dynamicMemberLookup
public struct OAuthClient: Sendable, Equatable {
    /// Internal record id (ULID).
    public var id: String
    public var tenant: TenantID
    /// The public identifier the client presents in protocol requests.
    public var clientID: String
    public var metadata: ClientMetadata
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
        metadata: ClientMetadata,
        status: ClientStatus = .active,
        isFirstParty: Bool = false,
        pkceRequired: Bool = true,
        secretLastFour: String? = nil,
        createdAt: Date,
        updatedAt: Date,
        deletedAt: Date? = nil
    ) {
        self.id = id
        self.tenant = tenant
        self.clientID = clientID
        self.metadata = metadata
        self.status = status
        self.isFirstParty = isFirstParty
        self.pkceRequired = pkceRequired
        self.secretLastFour = secretLastFour
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.deletedAt = deletedAt
    }

    /// The field-by-field form, for fixtures and callers that predate `ClientMetadata`.
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
        self.init(
            id: id,
            tenant: tenant,
            clientID: clientID,
            metadata: ClientMetadata(
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
                accessTokenFormat: accessTokenFormat
            ),
            status: status,
            secretLastFour: secretLastFour,
            createdAt: createdAt,
            updatedAt: updatedAt,
            deletedAt: deletedAt
        )
    }

    public subscript<Value>(dynamicMember keyPath: WritableKeyPath<ClientMetadata, Value>) -> Value {
        get { metadata[keyPath: keyPath] }
        set { metadata[keyPath: keyPath] = newValue }
    }

    /// The OpenID Connect part of the metadata under its former name: `client.openID.x` and
    /// `client.x` read the same field (the two were separate types before `ClientMetadata`).
    public var openID: ClientMetadata {
        get { metadata }
        set { metadata = newValue }
    }

    /// Whether authorization requests that do not come through PAR must carry an S256 PKCE
    /// challenge: always for public and FAPI 2.0 clients, otherwise (fapi1 included) unless the
    /// administrator set `require_pkce: false` for a relying party that predates PKCE (RFC 9700
    /// §2.1.1 then asks for a nonce instead). `EffectiveClientPolicy` decides.
    public var requiresPKCE: Bool { policy.requiresPKCE }

    /// Whether any registered method needs a secret issued by Custos.
    public var usesSharedSecret: Bool { metadata.authMethods.contains(where: \.usesSharedSecret) }
}
