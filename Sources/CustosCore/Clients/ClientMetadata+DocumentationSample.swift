extension ClientMetadata {
    /// Every member set to a value other than its default: what the OpenAPI document learns
    /// each member's JSON type from (so a new member is documented without editing the
    /// document), and what the round-trip tests compare, so that a codec or store dropping a
    /// member fails. `ClientMetadataSampleTests` checks that it sets every coding key.
    public static var documentationSample: ClientMetadata {
        var metadata = ClientMetadata(
            name: "Every Field",
            isConfidential: true,
            redirectURIs: ["https://app.example.com/cb", "https://app.example.com/cb2"],
            grantTypes: [.authorizationCode, .refreshToken, .clientCredentials],
            authMethods: [.privateKeyJWT, .tlsClientAuth],
            scopes: ["openid", "profile", "email"],
            corsOrigins: ["https://app.example.com"],
            jwks: #"{"keys":[]}"#,
            jwksURI: "https://app.example.com/jwks.json",
            logoURL: "https://app.example.com/logo.png",
            privacyPolicy: "https://app.example.com/privacy",
            termsURL: "https://app.example.com/terms",
            website: "https://app.example.com",
            fapiProfile: .fapi2,
            accessTokenFormat: .opaque
        )
        metadata.idTokenSignedResponseAlg = "PS256"
        metadata.userinfoSignedResponseAlg = "ES256"
        metadata.introspectionSignedResponseAlg = "PS256"
        metadata.authorizationSignedResponseAlg = "PS256"
        metadata.subjectType = "pairwise"
        metadata.sectorIdentifierURI = "https://app.example.com/sector.json"
        metadata.postLogoutRedirectURIs = ["https://app.example.com/bye"]
        metadata.backchannelLogoutURI = "https://app.example.com/bc"
        metadata.backchannelLogoutSessionRequired = true
        metadata.frontchannelLogoutURI = "https://app.example.com/fc"
        metadata.frontchannelLogoutSessionRequired = false
        metadata.defaultMaxAge = 3_600
        metadata.requireAuthTime = true
        metadata.contacts = ["ops@example.com"]
        metadata.softwareID = "software-1"
        metadata.softwareVersion = "1.2.3"
        metadata.requestObjectSigningAlg = "PS256"
        metadata.requireSignedRequestObject = true
        metadata.requestURIs = ["https://app.example.com/request.jwt"]
        metadata.registrationAccessTokenDigest = "digest-of-the-token"
        metadata.isResourceServer = true
        metadata.requirePushedAuthorizationRequests = true
        metadata.dpopBoundAccessTokens = true
        metadata.tlsClientCertificateBoundAccessTokens = true
        metadata.tlsClientAuthSubjectDN = "CN=app.example.com,O=Example"
        metadata.tlsClientAuthSANDNS = "app.example.com"
        metadata.tlsClientAuthSANURI = "https://app.example.com"
        metadata.tlsClientAuthSANIP = "192.0.2.10"
        metadata.tlsClientAuthSANEmail = "app@example.com"
        metadata.authorizationDetailsTypes = ["payment_initiation", "account_information"]
        return metadata
    }
}
