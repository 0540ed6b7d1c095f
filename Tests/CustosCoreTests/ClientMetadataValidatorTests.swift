import CustosCore
import Testing

@Suite("Client metadata validation")
struct ClientMetadataValidatorTests {
    let validator = ClientMetadataValidator(scopes: ScopeRegistry(additional: ["payments:read"]))

    /// The field named by the `invalidField` error `request` causes, or nil when it is valid.
    func rejectedField(_ request: ClientRegistrationRequest, existing: ValidatedClient? = nil) -> String? {
        CoreFixtures.rejectedField(request, validator: validator, existing: existing)
    }

    func created(_ request: ClientRegistrationRequest = CoreFixtures.createRequest()) throws -> ValidatedClient {
        try validator.validate(request, existing: nil)
    }

    // MARK: Defaults

    @Test("when only name and redirect URIs are given then the documented defaults apply")
    func defaults() throws {
        let settings = try created(
            CoreFixtures.createRequest(redirectURIs: ["https://app.example.com/cb", "https://app.example.com/other", "https://127.0.0.1:8080/cb"])
        )
        #expect(settings.name == "Example App")
        #expect(settings.isConfidential)
        #expect(settings.grantTypes == [.authorizationCode, .refreshToken])
        #expect(settings.authMethods == [.clientSecretBasic])
        #expect(settings.scopes == ["openid"])
        #expect(settings.status == .active)
        #expect(settings.fapiProfile == .none)
        #expect(settings.corsOrigins == ["https://app.example.com", "https://127.0.0.1:8080"])
        #expect(settings.jwks == nil && settings.jwksURI == nil && settings.logoURL == nil)
    }

    @Test("when a public client gives no auth method then it defaults to none")
    func publicDefaults() throws {
        var request = CoreFixtures.createRequest()
        request.isConfidential = false
        let settings = try created(request)
        #expect(!settings.isConfidential)
        #expect(settings.authMethods == [.none])
    }

    @Test("when the name has surrounding whitespace then it is trimmed")
    func trimsName() throws {
        #expect(try created(CoreFixtures.createRequest(name: "  Padded  ")).name == "Padded")
    }

    // MARK: Rules, each naming its field

    @Test("when the name is missing, blank, too long or has controls then name is rejected")
    func name() {
        #expect(rejectedField(CoreFixtures.createRequest(name: nil)) == "name")
        #expect(rejectedField(CoreFixtures.createRequest(name: "")) == "name")
        #expect(rejectedField(CoreFixtures.createRequest(name: " \t\n ")) == "name")
        #expect(rejectedField(CoreFixtures.createRequest(name: String(repeating: "n", count: 201))) == "name")
        #expect(rejectedField(CoreFixtures.createRequest(name: "bad\u{0}name")) == "name")
        #expect(rejectedField(CoreFixtures.createRequest(name: String(repeating: "n", count: 200))) == nil)
    }

    @Test("when redirect_uris is missing, empty or over 50 entries then redirect_uris is rejected")
    func redirectURIList() {
        #expect(rejectedField(CoreFixtures.createRequest(redirectURIs: nil)) == "redirect_uris")
        #expect(rejectedField(CoreFixtures.createRequest(redirectURIs: [])) == "redirect_uris")
        let fifty = (0..<50).map { "https://app.example.com/cb\($0)" }
        #expect(rejectedField(CoreFixtures.createRequest(redirectURIs: fifty)) == nil)
        #expect(rejectedField(CoreFixtures.createRequest(redirectURIs: fifty + ["https://app.example.com/x"])) == "redirect_uris")
    }

    @Test(
        "when one redirect URI breaks a rule then the error names redirect_uris",
        arguments: [
            "https://app.example.com/cb#f", "javascript:alert(1)", "DATA:text/html,x", "VbScript:x", "File:///etc/passwd",
            "http://app.example.com/cb", "https://*.example.com/cb", "https://u:p@app.example.com/cb", "relative/cb", "myapp://cb",
        ]
    )
    func redirectURIEntry(uri: String) throws {
        let field = try #require(rejectedField(CoreFixtures.createRequest(redirectURIs: ["https://app.example.com/ok", uri])))
        #expect(field.hasPrefix("redirect_uris"))
    }

    @Test(
        "when a grant type is unknown or removed by OAuth 2.1 then grant_types is rejected",
        arguments: [["password"], ["implicit"], ["authorization_code", "bogus"], [], ["Client_Credentials"]]
    )
    func grantTypes(values: [String]) {
        var request = CoreFixtures.createRequest()
        request.grantTypes = values
        #expect(rejectedField(request) == "grant_types")
    }

    @Test("when every allowed grant type is given then they are accepted")
    func allGrantTypes() throws {
        var request = CoreFixtures.createRequest()
        request.grantTypes = GrantType.allCases.map(\.rawValue)
        #expect(try created(request).grantTypes == GrantType.allCases)
    }

    @Test("when a public client asks for client_credentials then grant_types is rejected")
    func publicClientCredentials() {
        var request = CoreFixtures.createRequest()
        request.isConfidential = false
        request.grantTypes = ["client_credentials"]
        #expect(rejectedField(request) == "grant_types")
    }

    @Test(
        "when an auth method is unknown then client_auth_methods is rejected",
        arguments: [["client_secret"], ["CLIENT_SECRET_BASIC"], ["client_secret_basic", "bearer"], []]
    )
    func unknownAuthMethod(values: [String]) {
        var request = CoreFixtures.createRequest()
        request.clientAuthMethods = values
        #expect(rejectedField(request) == "client_auth_methods")
    }

    @Test(
        "when a public client uses a secret method then client_auth_methods is rejected",
        arguments: ["client_secret_basic", "client_secret_post", "client_secret_jwt"]
    )
    func publicWithSecret(method: String) {
        var request = CoreFixtures.createRequest()
        request.isConfidential = false
        request.clientAuthMethods = [method]
        #expect(rejectedField(request) == "client_auth_methods")
    }

    @Test("when a confidential client uses none then client_auth_methods is rejected")
    func confidentialWithNone() {
        var request = CoreFixtures.createRequest()
        request.clientAuthMethods = ["none"]
        #expect(rejectedField(request) == "client_auth_methods")
        request.clientAuthMethods = ["client_secret_basic", "none"]
        #expect(rejectedField(request) == "client_auth_methods")
    }

    @Test("when jwks is not a JWK Set, has private members or duplicate kids then jwks is rejected")
    func jwks() {
        var privateKey = CoreFixtures.publicECKey()
        privateKey["d"] = "870MB6gfuTJ4HtUnUvYMyJpr5eUZNP4Bk43bVdj3eAE"
        for jwks in [
            "not json", "{\"keys\": []}", CoreFixtures.jwkSet([privateKey]),
            CoreFixtures.jwkSet([CoreFixtures.publicECKey(kid: "a"), CoreFixtures.publicECKey(kid: "a")]),
        ] {
            var request = CoreFixtures.createRequest()
            request.jwks = jwks
            #expect(rejectedField(request) == "jwks", "jwks \(jwks)")
        }
    }

    @Test("when both jwks and jwks_uri are given then the request is rejected naming jwks")
    func jwksAndURI() {
        var request = CoreFixtures.createRequest()
        request.jwks = CoreFixtures.jwkSet([CoreFixtures.publicECKey()])
        request.jwksURI = "https://app.example.com/jwks.json"
        #expect(rejectedField(request) == "jwks")
    }

    @Test("when private_key_jwt has no keys then jwks is rejected, and with keys it is accepted")
    func privateKeyJWT() throws {
        var request = CoreFixtures.createRequest()
        request.clientAuthMethods = ["private_key_jwt"]
        #expect(rejectedField(request) == "jwks")
        request.jwksURI = "https://app.example.com/jwks.json"
        #expect(try created(request).authMethods == [.privateKeyJWT])
        request.jwksURI = nil
        request.jwks = CoreFixtures.jwkSet([CoreFixtures.publicECKey()])
        #expect(try created(request).jwks == request.jwks)
    }

    @Test(
        "when a metadata URL is not an absolute https URL then its field is rejected",
        arguments: ["jwks_uri", "logo_url", "website", "terms_url", "privacy_policy"]
    )
    func httpsURLs(field: String) {
        for value in [
            "http://app.example.com/x", "ftp://app.example.com/x", "app.example.com/x", "/x", "https:/x", "https://",
            "javascript:alert(1)", "https://u:p@app.example.com/x", "https://app.example.com/x#f", "https://app.example.com/a b",
        ] {
            var request = CoreFixtures.createRequest()
            switch field {
            case "jwks_uri": request.jwksURI = value
            case "logo_url": request.logoURL = value
            case "website": request.website = value
            case "terms_url": request.termsURL = value
            default: request.privacyPolicy = value
            }
            #expect(rejectedField(request) == field, "\(field) = \(value)")
        }
    }

    @Test("when every metadata URL is https then all are kept")
    func acceptsHTTPSURLs() throws {
        var request = CoreFixtures.createRequest()
        request.logoURL = "https://app.example.com/logo.png"
        request.website = "https://app.example.com"
        request.termsURL = "https://app.example.com/terms"
        request.privacyPolicy = "https://app.example.com/privacy"
        let settings = try created(request)
        #expect(settings.logoURL == request.logoURL && settings.website == request.website)
        #expect(settings.termsURL == request.termsURL && settings.privacyPolicy == request.privacyPolicy)
    }

    @Test(
        "when a scope has characters outside RFC 6749 §3.3 then scopes is rejected",
        arguments: ["open id", "\"openid\"", "back\\slash", "caf\u{E9}", "", "tab\t", "del\u{7F}"]
    )
    func scopeSyntax(scope: String) {
        var request = CoreFixtures.createRequest()
        request.scopes = ["openid", scope]
        #expect(rejectedField(request) == "scopes")
    }

    @Test("when a scope is reserved then scopes is rejected; any other well-formed scope, known or not, is accepted")
    func scopeRegistry() throws {
        var request = CoreFixtures.createRequest()
        request.scopes = ["admin"]
        #expect(rejectedField(request) == "scopes")
        request.scopes = ["openid", "account"]
        #expect(rejectedField(request) == "scopes")
        request.firstParty = true
        #expect(try created(request).scopes == ["openid", "account"])
        request.firstParty = nil
        request.scopes = ["openid", "payments:write"]
        #expect(try created(request).scopes == ["openid", "payments:write"])
        request.scopes = ["openid", "profile", "payments:read", "openid"]
        #expect(try created(request).scopes == ["openid", "profile", "payments:read"])
    }

    @Test("when fapi_profile is unknown then fapi_profile is rejected", arguments: ["fapi", "FAPI2", "fapi2-ms", "none"])
    func unknownFAPIProfile(value: String) {
        var request = CoreFixtures.createRequest()
        request.fapiProfile = value
        #expect(rejectedField(request) == "fapi_profile")
    }

    @Test(
        "when a FAPI client uses a secret-based method then client_auth_methods is rejected",
        arguments: ["fapi1", "fapi2", "fapi2_message_signing"]
    )
    func fapiWithSecret(profile: String) {
        for method in ["client_secret_basic", "client_secret_post", "client_secret_jwt"] {
            var request = CoreFixtures.createRequest()
            request.fapiProfile = profile
            request.clientAuthMethods = [method]
            request.jwks = CoreFixtures.jwkSet([CoreFixtures.publicECKey()])
            #expect(rejectedField(request) == "client_auth_methods", "\(profile) with \(method)")
        }
    }

    @Test("when a FAPI profile is set on a public client then fapi_profile is rejected", arguments: ["fapi1", "fapi2", "fapi2_message_signing"])
    func fapiPublic(profile: String) {
        var request = CoreFixtures.createRequest()
        request.fapiProfile = profile
        request.isConfidential = false
        #expect(rejectedField(request) == "fapi_profile")
    }

    @Test("when a FAPI client uses private_key_jwt with keys then it is accepted; an empty profile means none")
    func fapiAccepted() throws {
        var request = CoreFixtures.createRequest()
        request.fapiProfile = "fapi2"
        request.clientAuthMethods = ["private_key_jwt"]
        request.jwksURI = "https://app.example.com/jwks.json"
        #expect(try created(request).fapiProfile == .fapi2)
        var plain = CoreFixtures.createRequest()
        plain.fapiProfile = ""
        #expect(try created(plain).fapiProfile == .none)
    }

    @Test("when status is not active or suspended then status is rejected")
    func status() throws {
        let existing = try created()
        #expect(rejectedField(ClientRegistrationRequest(status: "deleted"), existing: existing) == "status")
        #expect(rejectedField(ClientRegistrationRequest(status: "Active"), existing: existing) == "status")
        #expect(try validator.validate(ClientRegistrationRequest(status: "suspended"), existing: existing).status == .suspended)
    }

    @Test("when cors_origins holds something that is not an origin then cors_origins is rejected")
    func corsOrigins() throws {
        let existing = try created()
        for value in ["https://app.example.com/", "https://app.example.com/path", "app.example.com", "*", "com.example.app:/cb"] {
            #expect(rejectedField(ClientRegistrationRequest(corsOrigins: [value]), existing: existing) == "cors_origins", "\(value)")
        }
    }

    // MARK: Update semantics

    @Test("when an update leaves fields out then their stored values are kept")
    func updateKeeps() throws {
        var request = CoreFixtures.createRequest()
        request.grantTypes = ["authorization_code", "client_credentials"]
        request.clientAuthMethods = ["client_secret_post"]
        request.scopes = ["openid", "profile"]
        request.logoURL = "https://app.example.com/logo.png"
        request.website = "https://app.example.com"
        let existing = try created(request)
        let updated = try validator.validate(ClientRegistrationRequest(name: "Renamed"), existing: existing)
        #expect(updated.name == "Renamed")
        var expected = existing
        expected.name = "Renamed"
        #expect(updated == expected)
    }

    @Test("when an update sends an empty string for an optional URL then it is cleared")
    func updateClears() throws {
        var request = CoreFixtures.createRequest()
        request.logoURL = "https://app.example.com/logo.png"
        request.termsURL = "https://app.example.com/terms"
        request.jwksURI = "https://app.example.com/jwks.json"
        let existing = try created(request)
        let updated = try validator.validate(ClientRegistrationRequest(jwksURI: "", logoURL: ""), existing: existing)
        #expect(updated.logoURL == nil)
        #expect(updated.jwksURI == nil)
        #expect(updated.termsURL == "https://app.example.com/terms")
    }

    @Test("when an update changes redirect_uris then cors_origins is recomputed from them")
    func updateRecomputesOrigins() throws {
        let existing = try created()
        #expect(existing.corsOrigins == ["https://app.example.com"])
        let updated = try validator.validate(
            ClientRegistrationRequest(redirectURIs: ["https://new.example.com:8443/cb", "https://new.example.com:8443/other"]),
            existing: existing
        )
        #expect(updated.redirectURIs == ["https://new.example.com:8443/cb", "https://new.example.com:8443/other"])
        #expect(updated.corsOrigins == ["https://new.example.com:8443"])
    }

    @Test("when an update leaves redirect_uris out then explicitly set cors_origins are kept")
    func updateKeepsOrigins() throws {
        let existing = try validator.validate(
            ClientRegistrationRequest(corsOrigins: ["https://spa.example.com"]),
            existing: try created()
        )
        #expect(existing.corsOrigins == ["https://spa.example.com"])
        let renamed = try validator.validate(ClientRegistrationRequest(name: "Other"), existing: existing)
        #expect(renamed.corsOrigins == ["https://spa.example.com"])
    }

    @Test("when an update brings a bad value then the error names its field just as on create")
    func updateValidates() throws {
        let existing = try created()
        #expect(rejectedField(ClientRegistrationRequest(name: "  "), existing: existing) == "name")
        #expect(rejectedField(ClientRegistrationRequest(redirectURIs: []), existing: existing) == "redirect_uris")
        #expect(rejectedField(ClientRegistrationRequest(scopes: ["admin"]), existing: existing) == "scopes")
        #expect(rejectedField(ClientRegistrationRequest(website: "http://app.example.com"), existing: existing) == "website")
    }

    @Test("when an update turns a confidential client public then its auth method becomes none")
    func updateToPublic() throws {
        let existing = try created()
        let updated = try validator.validate(ClientRegistrationRequest(isConfidential: false), existing: existing)
        #expect(!updated.isConfidential)
        #expect(updated.authMethods == [.none])
    }
}
