import Foundation

/// Turns an administrator's request into a `ValidatedClient` (its `ClientMetadata` and the
/// administrator's settings), applying defaults on create and the stored values on update, then checking every rule in one visible order. The first
/// broken rule is reported with the JSON name of its field.
public struct ClientMetadataValidator: Sendable {
    public static let maximumNameLength = 200
    public let scopes: ScopeRegistry
    /// Accept `http://` back-channel logout URIs on loopback hosts (Back-Channel Logout 1.0
    /// §2.2 lets the OP allow http); only where the operator allows requests to private
    /// networks, i.e. development and tests.
    public let allowsLoopbackHTTPLogout: Bool
    /// Where the server may fetch from or post to: the URLs it will contact (jwks_uri,
    /// sector_identifier_uri, backchannel_logout_uri, request_uris) must not name a
    /// special-use address literal unless private fetches are allowed.
    public let outboundAddresses: OutboundAddressPolicy
    /// Let confidential clients register `http` redirect URIs on loopback IP literals
    /// (`CUSTOS_ALLOW_LOOPBACK_HTTP_REDIRECTS=1`; development and tests).
    public let allowsLoopbackHTTPRedirects: Bool
    /// The authentication methods a client may register: those a verifier of
    /// `ClientAuthenticator` proves (`supportedMethods`). A method nothing can verify would
    /// give a client that can never authenticate.
    public let supportedAuthMethods: Set<ClientAuthenticationMethod>
    /// The grant types a client may register: those `TokenEndpoint` has a handler for.
    public let supportedGrantTypes: Set<GrantType>

    /// Without the two lists every method and grant type the model knows is accepted (the
    /// syntax checks only); `ClientManagement` always passes what the server supports.
    public init(
        scopes: ScopeRegistry,
        allowsLoopbackHTTPLogout: Bool = false,
        outboundAddresses: OutboundAddressPolicy = OutboundAddressPolicy(),
        allowsLoopbackHTTPRedirects: Bool = false,
        supportedAuthMethods: Set<ClientAuthenticationMethod> = Set(ClientAuthenticationMethod.allCases),
        supportedGrantTypes: Set<GrantType> = Set(GrantType.allCases)
    ) {
        self.scopes = scopes
        self.allowsLoopbackHTTPLogout = allowsLoopbackHTTPLogout
        self.outboundAddresses = outboundAddresses
        self.allowsLoopbackHTTPRedirects = allowsLoopbackHTTPRedirects
        self.supportedAuthMethods = supportedAuthMethods
        self.supportedGrantTypes = supportedGrantTypes
    }

    /// - Parameters:
    ///   - request: what the administrator sent.
    ///   - existing: the stored settings for an update; nil for a create.
    public func validate(_ request: ClientRegistrationRequest, existing: ValidatedClient?) throws(AdminError) -> ValidatedClient {
        let name = try validName(request.name ?? existing?.name)
        let isConfidential = request.isConfidential ?? existing?.isConfidential ?? true
        let fapiProfile = try validFAPIProfile(request.fapiProfile, existing: existing?.fapiProfile)
        // Stored lists were checked when they were written; only what the request brings is
        // checked item by item (the bootstrap admin client holds the reserved `admin` scope).
        let redirectURIs =
            if let existing, request.redirectURIs == nil, request.isConfidential == nil {
                existing.redirectURIs
            } else {
                try validRedirectURIs(request.redirectURIs ?? existing?.redirectURIs, isConfidential: isConfidential)
            }
        let grantTypes = try validGrantTypes(request.grantTypes, existing: existing?.grantTypes, isConfidential: isConfidential)
        let authMethods = try validAuthMethods(
            request.clientAuthMethods,
            existing: existing,
            isConfidential: isConfidential,
            fapiProfile: fapiProfile
        )
        let isFirstParty = request.firstParty ?? existing?.isFirstParty ?? false
        let scopes =
            if let existing, request.scopes == nil { existing.scopes } else {
                try validScopes(request.scopes ?? ["openid"], firstParty: isFirstParty)
            }
        // A stored `account` scope outlives neither the first-party mark nor the rule.
        if !isFirstParty && scopes.contains(ScopeRegistry.accountScope) {
            throw .invalidField(field: "scopes", message: "scope \"account\" is reserved for first-party clients")
        }
        let pkceRequired = try validPKCERequirement(
            request.requirePKCE ?? existing?.pkceRequired ?? true,
            isConfidential: isConfidential,
            fapiProfile: fapiProfile
        )
        let jwks = try optionalText(request.jwks, existing: existing?.jwks)
        let jwksURI = try httpsURL(request.jwksURI, existing: existing?.jwksURI, field: "jwks_uri")
        if request.jwksURI != nil, let jwksURI { try checkOutboundTarget(jwksURI, field: "jwks_uri") }
        if let jwks, let problem = JWKSetValidator.problem(in: jwks) {
            throw .invalidField(field: "jwks", message: problem)
        }
        if jwks != nil && jwksURI != nil {
            throw .invalidField(field: "jwks", message: "jwks and jwks_uri must not both be present (RFC 7591 §2)")
        }
        if authMethods.contains(.privateKeyJWT) && jwks == nil && jwksURI == nil {
            throw .invalidField(field: "jwks", message: "private_key_jwt requires jwks or jwks_uri")
        }
        let corsOrigins: [String]
        if let requested = request.corsOrigins {
            corsOrigins = try validOrigins(requested)
        } else if request.redirectURIs == nil, let existing {
            corsOrigins = existing.corsOrigins
        } else {
            corsOrigins = Self.deduplicated(redirectURIs.compactMap(RedirectURIPolicy.origin(of:)))
        }
        var accessTokenFormat = existing?.accessTokenFormat ?? .jwt
        if let format = request.accessTokenFormat {
            guard let parsed = AccessTokenFormat(rawValue: format) else {
                throw .invalidField(field: "access_token_format", message: "must be jwt or opaque")
            }
            accessTokenFormat = parsed
        }
        var requestedOpenID = request.openID ?? existing?.metadata ?? ClientMetadata()
        // OpenID Connect Registration §5 makes a sector identifier count only once the document
        // it names is fetched and found to list every redirect URI; only dynamic registration
        // does that fetch, so the admin API does not take the member rather than store it unchecked.
        if request.metadataMembers[ClientMetadata.CodingKeys.sectorIdentifierURI.rawValue] != nil {
            throw .invalidField(field: "sector_identifier_uri", message: "is accepted only through dynamic registration, which verifies it")
        }
        if !request.metadataMembers.isEmpty { requestedOpenID = try Self.overlay(request.metadataMembers, on: requestedOpenID) }
        if let uris = request.postLogoutRedirectURIs { requestedOpenID.postLogoutRedirectURIs = uris.isEmpty ? nil : uris }
        // Only the admin field sets it; OpenID metadata from dynamic registration cannot.
        requestedOpenID.isResourceServer = (request.isResourceServer ?? existing?.openID.isResourceServer) == true ? true : nil
        if let alg = request.requestObjectSigningAlg { requestedOpenID.requestObjectSigningAlg = alg.isEmpty ? nil : alg }
        if let uris = request.requestURIs { requestedOpenID.requestURIs = uris.isEmpty ? nil : uris }
        if let flag = request.requireSignedRequestObject { requestedOpenID.requireSignedRequestObject = flag }
        try validRequestObjectMetadata(requestedOpenID)
        try validSignedResponseAlgorithms(requestedOpenID)
        let openID = try validOpenID(requestedOpenID, redirectURIs: redirectURIs, isConfidential: isConfidential)
        var metadata = openID
        metadata.name = name
        metadata.isConfidential = isConfidential
        metadata.redirectURIs = redirectURIs
        metadata.grantTypes = grantTypes
        metadata.authMethods = authMethods
        metadata.scopes = scopes
        metadata.corsOrigins = corsOrigins
        metadata.jwks = jwks
        metadata.jwksURI = jwksURI
        metadata.logoURL = try httpsURL(request.logoURL, existing: existing?.logoURL, field: "logo_url")
        metadata.privacyPolicy = try httpsURL(request.privacyPolicy, existing: existing?.privacyPolicy, field: "privacy_policy")
        metadata.termsURL = try httpsURL(request.termsURL, existing: existing?.termsURL, field: "terms_url")
        metadata.website = try httpsURL(request.website, existing: existing?.website, field: "website")
        metadata.fapiProfile = fapiProfile
        metadata.accessTokenFormat = accessTokenFormat
        try validMutualTLSMetadata(metadata)
        try Self.validAuthorizationDetailsTypes(metadata.authorizationDetailsTypes)
        try FAPIRegistrationRules.check(metadata, profile: fapiProfile)
        return ValidatedClient(
            metadata: metadata,
            status: try validStatus(request.status, existing: existing?.status),
            isFirstParty: isFirstParty,
            pkceRequired: pkceRequired
        )
    }

    public static let maximumAuthorizationDetailsTypes = 32

    /// Why `type` cannot be an authorization details type (RFC 9396 §2.1: a string; Custos
    /// also wants it printable, without spaces, and at most 200 characters); nil when it can.
    public static func authorizationDetailsTypeProblem(_ type: String) -> String? {
        guard !type.isEmpty, type.count <= 200 else { return "must be a non-empty string of at most 200 characters" }
        guard type.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value != 0x7F }) else {
            return "must not contain spaces or control characters"
        }
        return nil
    }

    /// RFC 9396 §10 `authorization_details_types`: at most 32 distinct types, each one
    /// `authorizationDetailsTypeProblem` accepts.
    static func validAuthorizationDetailsTypes(_ types: [String]?) throws(AdminError) {
        guard let types else { return }
        let field = ClientMetadata.CodingKeys.authorizationDetailsTypes.rawValue
        guard types.count <= maximumAuthorizationDetailsTypes else {
            throw .invalidField(field: field, message: "at most \(maximumAuthorizationDetailsTypes) types are allowed")
        }
        for (index, type) in types.enumerated() {
            if let problem = authorizationDetailsTypeProblem(type) { throw .invalidField(field: "\(field)[\(index)]", message: problem) }
        }
        guard Set(types).count == types.count else { throw .invalidField(field: field, message: "must not repeat a type") }
    }

    /// RFC 8705 §2.1.2: a `tls_client_auth` client registers exactly one name its certificate
    /// must carry, and those names mean nothing for another method; `_san_ip` is an address
    /// (compared as one at authentication). §2.2.2: `self_signed_tls_client_auth` needs the
    /// client's keys (`jwks` or `jwks_uri`) to find the certificate's key in.
    private func validMutualTLSMetadata(_ metadata: ClientMetadata) throws(AdminError) {
        let names: [(field: String, value: String?)] = [
            ("tls_client_auth_subject_dn", metadata.tlsClientAuthSubjectDN),
            ("tls_client_auth_san_dns", metadata.tlsClientAuthSANDNS),
            ("tls_client_auth_san_uri", metadata.tlsClientAuthSANURI),
            ("tls_client_auth_san_ip", metadata.tlsClientAuthSANIP),
            ("tls_client_auth_san_email", metadata.tlsClientAuthSANEmail),
        ]
        let registered = names.filter { $0.value != nil }
        if metadata.authMethods.contains(.tlsClientAuth) {
            guard let first = registered.first else {
                throw .invalidField(
                    field: "tls_client_auth_subject_dn",
                    message: "tls_client_auth requires exactly one of \(names.map(\.field).joined(separator: ", ")) (RFC 8705 §2.1.2)"
                )
            }
            if registered.count > 1 {
                throw .invalidField(
                    field: registered[1].field,
                    message: "only one of \(registered.map(\.field).joined(separator: ", ")) may be registered (RFC 8705 §2.1.2)"
                )
            }
            if let value = first.value, value.isEmpty {
                throw .invalidField(field: first.field, message: "must not be empty")
            }
            if let dn = metadata.tlsClientAuthSubjectDN, DistinguishedName(dn) == nil {
                throw .invalidField(field: "tls_client_auth_subject_dn", message: "must be a distinguished name in RFC 4514 form")
            }
            if let ip = metadata.tlsClientAuthSANIP, ClientAddress(ip) == nil {
                throw .invalidField(field: "tls_client_auth_san_ip", message: "must be an IPv4 or IPv6 address")
            }
        } else if let first = registered.first {
            throw .invalidField(field: first.field, message: "is only meaningful with the tls_client_auth method (RFC 8705 §2.1.2)")
        }
        if metadata.authMethods.contains(.selfSignedTLSClientAuth) && metadata.jwks == nil && metadata.jwksURI == nil {
            throw .invalidField(field: "jwks", message: "self_signed_tls_client_auth requires jwks or jwks_uri (RFC 8705 §2.2.2)")
        }
    }

    /// Rule 17: PKCE may be turned off only for a confidential client outside FAPI 2.0 (public
    /// clients: OAuth 2.1 §7.5.1; FAPI 2.0 Security Profile §5.3.2.2 requires PKCE). A fapi1
    /// client may go without it except on pushed requests (FAPI 1.0 Advanced §5.2.2 item 18,
    /// which `EffectiveClientPolicy` keeps). RFC 9700 §2.1.1 lets such a client rely on the
    /// OpenID `nonce` instead, which `AuthorizationEndpoint` then requires.
    private func validPKCERequirement(_ required: Bool, isConfidential: Bool, fapiProfile: FAPIProfile) throws(AdminError) -> Bool {
        guard !required else { return true }
        guard isConfidential else {
            throw .invalidField(field: "require_pkce", message: "must be true for a public client (OAuth 2.1 §7.5.1)")
        }
        let withoutPKCE = EffectiveClientPolicy(metadata: ClientMetadata(isConfidential: true, fapiProfile: fapiProfile), pkceRequired: false)
        guard !withoutPKCE.requiresPKCE else {
            throw .invalidField(field: "require_pkce", message: "must be true with fapi_profile \(fapiProfile.rawValue)")
        }
        return false
    }

    private func validName(_ name: String?) throws(AdminError) -> String {
        guard let name else { throw .invalidField(field: "name", message: "is required") }
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .invalidField(field: "name", message: "must not be blank") }
        guard trimmed.count <= Self.maximumNameLength else {
            throw .invalidField(field: "name", message: "must be at most \(Self.maximumNameLength) characters")
        }
        guard !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .invalidField(field: "name", message: "must not contain control characters")
        }
        return trimmed
    }

    private func validFAPIProfile(_ value: String?, existing: FAPIProfile?) throws(AdminError) -> FAPIProfile {
        guard let value else { return existing ?? .none }
        guard let profile = FAPIProfile(rawValue: value) else {
            throw .invalidField(
                field: "fapi_profile",
                message: "unknown profile \"\(value)\"; use fapi1, fapi2, fapi2_message_signing or empty"
            )
        }
        return profile
    }

    private func validRedirectURIs(_ uris: [String]?, isConfidential: Bool) throws(AdminError) -> [String] {
        guard let uris, !uris.isEmpty else {
            throw .invalidField(field: "redirect_uris", message: "invalid_redirect_uri: at least one redirect URI is required")
        }
        guard uris.count <= RedirectURIPolicy.maximumCount else {
            throw .invalidField(field: "redirect_uris", message: "at most \(RedirectURIPolicy.maximumCount) redirect URIs are allowed")
        }
        for (index, uri) in uris.enumerated() {
            if let problem = RedirectURIPolicy.registrationProblem(
                uri,
                isConfidential: isConfidential,
                allowsConfidentialLoopbackHTTP: allowsLoopbackHTTPRedirects
            ) {
                throw .invalidField(field: "redirect_uris[\(index)]", message: "invalid_redirect_uri: \(problem)")
            }
        }
        return Self.deduplicated(uris)
    }

    private func validGrantTypes(_ values: [String]?, existing: [GrantType]?, isConfidential: Bool) throws(AdminError) -> [GrantType] {
        let grantTypes: [GrantType]
        if let values {
            guard !values.isEmpty else { throw .invalidField(field: "grant_types", message: "must not be empty") }
            var parsed: [GrantType] = []
            for value in values {
                guard let grant = GrantType(rawValue: value), supportedGrantTypes.contains(grant) else {
                    throw .invalidField(field: "grant_types", message: "unknown or unsupported grant type \"\(value)\"")
                }
                parsed.append(grant)
            }
            grantTypes = Self.deduplicated(parsed)
        } else {
            grantTypes = existing ?? [.authorizationCode, .refreshToken]
        }
        // OAuth 2.1 §4.2: client credentials are for confidential clients only.
        if !isConfidential && grantTypes.contains(.clientCredentials) {
            throw .invalidField(field: "grant_types", message: "client_credentials requires a confidential client")
        }
        return grantTypes
    }

    private func validAuthMethods(
        _ values: [String]?,
        existing: ValidatedClient?,
        isConfidential: Bool,
        fapiProfile: FAPIProfile
    ) throws(AdminError) -> [ClientAuthenticationMethod] {
        var methods: [ClientAuthenticationMethod]
        if let values {
            guard !values.isEmpty else { throw .invalidField(field: "client_auth_methods", message: "must not be empty") }
            methods = []
            for value in values {
                guard let method = ClientAuthenticationMethod(rawValue: value) else {
                    throw .invalidField(field: "client_auth_methods", message: "unknown authentication method \"\(value)\"")
                }
                guard supportedAuthMethods.contains(method) else {
                    throw .invalidField(
                        field: "client_auth_methods",
                        message: "unsupported authentication method \"\(value)\"; this server supports \(supportedAuthMethodList)"
                    )
                }
                methods.append(method)
            }
            methods = Self.deduplicated(methods)
        } else if let existing, existing.isConfidential == isConfidential {
            methods = existing.authMethods
        } else if !isConfidential {
            methods = [.none]
        } else {
            methods = fapiProfile == .none ? [.clientSecretBasic] : [.privateKeyJWT]
        }
        // OAuth 2.1 §2.1: a public client has no credentials; a confidential one must use them.
        if isConfidential && methods.contains(.none) {
            throw .invalidField(field: "client_auth_methods", message: "a confidential client cannot use \"none\"")
        }
        if !isConfidential && methods != [.none] {
            throw .invalidField(field: "client_auth_methods", message: "a public client must use \"none\" only")
        }
        if fapiProfile != .none {
            // FAPI 2.0 Security Profile §5.3.2.1: confidential clients, private_key_jwt or mTLS only.
            guard isConfidential else {
                throw .invalidField(field: "fapi_profile", message: "a FAPI profile requires a confidential client")
            }
            if let method = methods.first(where: { !$0.isFAPICompliant }) {
                // Name only the FAPI methods this server can verify (the registry's set).
                let allowed = ClientAuthenticationMethod.allCases.filter { $0.isFAPICompliant && supportedAuthMethods.contains($0) }
                throw .invalidField(
                    field: "client_auth_methods",
                    message:
                        "\(method.rawValue) is not allowed with fapi_profile \(fapiProfile.rawValue); use \(allowed.map(\.rawValue).joined(separator: " or "))"
                )
            }
        }
        return methods
    }

    private var supportedAuthMethodList: String {
        ClientAuthenticationMethod.allCases.filter { supportedAuthMethods.contains($0) }.map(\.rawValue).joined(separator: ", ")
    }

    private func validScopes(_ values: [String], firstParty: Bool) throws(AdminError) -> [String] {
        for scope in values {
            if let problem = scopes.registrationProblem(scope, firstParty: firstParty) {
                throw .invalidField(field: "scopes", message: "invalid_client_metadata: \(problem)")
            }
        }
        return Self.deduplicated(values)
    }

    private func validStatus(_ value: String?, existing: ClientStatus?) throws(AdminError) -> ClientStatus {
        guard let value else { return existing ?? .active }
        guard let status = ClientStatus(rawValue: value) else {
            throw .invalidField(field: "status", message: "must be active or suspended")
        }
        return status
    }

    private func validOrigins(_ values: [String]) throws(AdminError) -> [String] {
        for value in values {
            guard let origin = RedirectURIPolicy.origin(of: value), origin == value.lowercased() else {
                throw .invalidField(field: "cors_origins", message: "\"\(value)\" is not a web origin (scheme://host[:port])")
            }
        }
        return Self.deduplicated(values.map { $0.lowercased() })
    }

    /// An empty string clears an optional field; absence keeps the stored value.
    private func optionalText(_ value: String?, existing: String?) throws(AdminError) -> String? {
        guard let value else { return existing }
        return value.isEmpty ? nil : value
    }

    static func isLoopbackHTTP(_ value: String) -> Bool {
        guard let components = URLComponents(string: value), components.scheme == "http", components.fragment == nil,
            let host = components.host?.lowercased()
        else { return false }
        return host == "127.0.0.1" || host == "[::1]" || host == "::1" || host == "localhost"
    }

    private func httpsURL(_ value: String?, existing: String?, field: String) throws(AdminError) -> String? {
        guard let url = try optionalText(value, existing: existing) else { return nil }
        guard url.utf8.count <= 2048, url.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }),
            RedirectURIPolicy.scheme(of: url) == "https", url.dropFirst(6).hasPrefix("//"),
            let components = URLComponents(string: url), let host = components.host, !host.isEmpty,
            components.user == nil, components.fragment == nil
        else { throw .invalidField(field: field, message: "invalid_client_metadata: must be an absolute https URL") }
        return url
    }

    /// Rule 13 of the authorization boundaries: a URL the server will contact must not name a
    /// special-use address (the fetch refuses it too, on every resolved address; this says so
    /// at registration, naming the field). Public for the fields other parts validate
    /// (`request_uris`).
    public func checkOutboundTarget(_ url: String, field: String) throws(AdminError) {
        if let problem = outboundAddresses.registrationProblem(url) {
            throw .invalidField(field: field, message: "invalid_client_metadata: \(problem)")
        }
    }

    /// OpenID Connect Registration §2 and the logout specifications' metadata.
    private func validOpenID(
        _ metadata: ClientMetadata,
        redirectURIs: [String],
        isConfidential: Bool
    ) throws(AdminError) -> ClientMetadata {
        for (field, value) in [
            ("id_token_signed_response_alg", metadata.idTokenSignedResponseAlg),
            ("userinfo_signed_response_alg", metadata.userinfoSignedResponseAlg),
        ] {
            if let value, SigningAlgorithm(rawValue: value) == nil {
                throw .invalidField(field: field, message: "must be one of \(SigningAlgorithm.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        if let type = metadata.subjectType, type != "public" && type != "pairwise" {
            throw .invalidField(field: "subject_type", message: "must be public or pairwise")
        }
        // §8.1: without a sector identifier, pairwise subjects need one host in all redirect URIs.
        if metadata.usesPairwiseSubjects, metadata.sectorIdentifierURI == nil,
            Set(redirectURIs.compactMap { URLComponents(string: $0)?.host?.lowercased() }).count > 1
        {
            throw .invalidField(field: "sector_identifier_uri", message: "is required for pairwise subjects with redirect URIs on several hosts")
        }
        for (field, value) in [
            ("sector_identifier_uri", metadata.sectorIdentifierURI), ("backchannel_logout_uri", metadata.backchannelLogoutURI),
            ("frontchannel_logout_uri", metadata.frontchannelLogoutURI),
        ] {
            if field == "backchannel_logout_uri", allowsLoopbackHTTPLogout, let value, Self.isLoopbackHTTP(value) { continue }
            _ = try httpsURL(value, existing: nil, field: field)
            if field == "sector_identifier_uri" || field == "backchannel_logout_uri", let value, !value.isEmpty {
                try checkOutboundTarget(value, field: field)
            }
        }
        for (index, uri) in (metadata.postLogoutRedirectURIs ?? []).enumerated() {
            // The browser is sent there as to a redirect URI: the same scheme rules (rule 14).
            if let problem = RedirectURIPolicy.registrationProblem(
                uri,
                isConfidential: isConfidential,
                allowsConfidentialLoopbackHTTP: allowsLoopbackHTTPRedirects
            ) {
                throw .invalidField(field: "post_logout_redirect_uris[\(index)]", message: "invalid_redirect_uri: \(problem)")
            }
        }
        if let age = metadata.defaultMaxAge, age < 0 {
            throw .invalidField(field: "default_max_age", message: "must not be negative")
        }
        return metadata
    }

    public static let maximumRequestURIs = 10

    /// Request objects (RFC 9101; OpenID Connect Registration §2). `request_object_signing_alg`
    /// may be `none` (Registration §2 allows unsigned objects, and discovery announces it), but
    /// not for a client that requires signed objects; a FAPI profile narrows the algorithms
    /// further (`FAPIRegistrationRules`, which refuses `none` and RS256 for every profile).
    /// `request_uris` are the only URLs the server will fetch a request object from, so each
    /// is an absolute https URL without a fragment (it is compared exactly).
    private func validRequestObjectMetadata(_ metadata: ClientMetadata) throws(AdminError) {
        if let alg = metadata.requestObjectSigningAlg {
            if alg == "none" {
                if metadata.requireSignedRequestObject == true {
                    throw .invalidField(field: "request_object_signing_alg", message: "none contradicts require_signed_request_object")
                }
            } else if SigningAlgorithm(rawValue: alg) == nil {
                throw .invalidField(
                    field: "request_object_signing_alg",
                    message: "must be none or one of \(SigningAlgorithm.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
        }
        let uris = metadata.requestURIs ?? []
        guard uris.count <= Self.maximumRequestURIs else {
            throw .invalidField(field: "request_uris", message: "at most \(Self.maximumRequestURIs) request URIs are allowed")
        }
        for (index, uri) in uris.enumerated() {
            guard !uri.isEmpty else { throw .invalidField(field: "request_uris[\(index)]", message: "must not be empty") }
            _ = try httpsURL(uri, existing: nil, field: "request_uris[\(index)]")
        }
    }

    /// JARM §3 `authorization_signed_response_alg` and RFC 9701 §6
    /// `introspection_signed_response_alg`: an algorithm this server signs with (it keeps a key
    /// for each `SigningAlgorithm`), never `none`: JARM responses and JWT introspection answers
    /// are always signed. A FAPI profile narrows the choice further (`FAPIRegistrationRules`);
    /// the key behind a JARM algorithm is checked again for each request.
    private func validSignedResponseAlgorithms(_ metadata: ClientMetadata) throws(AdminError) {
        let members: [(field: String, value: String?)] = [
            ("authorization_signed_response_alg", metadata.authorizationSignedResponseAlg),
            ("introspection_signed_response_alg", metadata.introspectionSignedResponseAlg),
        ]
        for (field, value) in members where value.map({ SigningAlgorithm(rawValue: $0) == nil }) == true {
            throw .invalidField(
                field: field,
                message: "must be one of \(SigningAlgorithm.allCases.map(\.rawValue).joined(separator: ", ")) (the answer is signed)"
            )
        }
    }

    /// The admin API's generic members over `metadata` (a PATCH in JSON terms: a member
    /// replaces, null removes), decoded as stored; a value of the wrong JSON type names its field.
    static func overlay(_ members: [String: JSONValue], on metadata: ClientMetadata) throws(AdminError) -> ClientMetadata {
        do {
            var merged = try metadata.members()
            for (key, value) in members { merged[key] = value == .null ? nil : value }
            return try JSONDecoder().decode(ClientMetadata.self, from: try JSONEncoder().encode(merged))
        } catch let DecodingError.typeMismatch(expected, context) {
            throw .invalidField(field: Self.fieldName(context.codingPath), message: "must be \(Self.describe(expected))")
        } catch let DecodingError.dataCorrupted(context) {
            throw .invalidField(field: Self.fieldName(context.codingPath), message: context.debugDescription)
        } catch {
            throw .badRequest("the client metadata could not be read: \(error)")
        }
    }

    private static func fieldName(_ path: [any CodingKey]) -> String {
        path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined()
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "a boolean"
        case is Int.Type: "an integer"
        case is [String].Type: "an array of strings"
        default: "of the documented JSON type"
        }
    }

    static func deduplicated<T: Hashable>(_ values: [T]) -> [T] {
        var seen = Set<T>()
        return values.filter { seen.insert($0).inserted }
    }
}
