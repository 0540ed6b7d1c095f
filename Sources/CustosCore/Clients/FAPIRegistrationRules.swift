/// What a client held to a FAPI profile may register beyond what every client may: the
/// registration half of FAPI 2.0 Security Profile §5, FAPI 2.0 Message Signing §5 and FAPI 1.0
/// Advanced §5.2.2 (the request-time half lives where each request is checked, all asking
/// `EffectiveClientPolicy`). Metadata that contradicts what the profile turns on is refused,
/// naming the field, rather than stored and then overridden: an administrator must not read
/// one rule and get another. Confidential only, private_key_jwt or mutual TLS, and PKCE are
/// checked with the fields they concern (`ClientMetadataValidator.validAuthMethods`,
/// `validPKCERequirement`).
enum FAPIRegistrationRules {
    static func check(_ metadata: ClientMetadata, profile: FAPIProfile) throws(AdminError) {
        guard profile != .none else { return }
        let policy = EffectiveClientPolicy(metadata: metadata, pkceRequired: true)
        // FAPI 2.0 Security Profile §5.3.2.2 (security case A3; RFC 9700 §2.6): a FAPI client's
        // authorization responses travel over https only; the development allowance for http
        // loopback redirects (`CUSTOS_ALLOW_LOOPBACK_HTTP_REDIRECTS`) does not reach it.
        for (index, uri) in metadata.redirectURIs.enumerated() where RedirectURIPolicy.scheme(of: uri) != "https" {
            throw .invalidField(
                field: "redirect_uris[\(index)]",
                message: "invalid_redirect_uri: fapi_profile \(profile.rawValue) allows https redirect URIs only"
            )
        }
        try checkAlgorithms(metadata, policy: policy)
        try checkFlags(metadata, policy: policy)
    }

    /// FAPI 2.0 Security Profile §5.4.1 (PS256, ES256, EdDSA) and FAPI 1.0 Advanced §8.6
    /// (PS256, ES256): every algorithm the client signs with or is answered in.
    private static func checkAlgorithms(_ metadata: ClientMetadata, policy: EffectiveClientPolicy) throws(AdminError) {
        let algorithms: [(field: String, value: String?)] = [
            ("id_token_signed_response_alg", metadata.idTokenSignedResponseAlg),
            ("userinfo_signed_response_alg", metadata.userinfoSignedResponseAlg),
            ("request_object_signing_alg", metadata.requestObjectSigningAlg),
            ("authorization_signed_response_alg", metadata.authorizationSignedResponseAlg),
            ("introspection_signed_response_alg", metadata.introspectionSignedResponseAlg),
        ]
        for (field, value) in algorithms {
            guard let value, SigningAlgorithm(rawValue: value).map(policy.allows) != true else { continue }
            throw .invalidField(
                field: field,
                message:
                    "\(value) is not allowed with fapi_profile \(policy.profile.rawValue); use \(policy.signingAlgorithmNames.joined(separator: ", "))"
            )
        }
    }

    /// A flag set against what the profile turns on: PAR off for FAPI 2.0, unsigned requests
    /// for fapi1 and fapi2_message_signing, and for fapi1 (FAPI 1.0 Advanced §5.2.2 item 5,
    /// RFC 8705 certificate-bound tokens only) DPoP-bound tokens or unbound ones.
    private static func checkFlags(_ metadata: ClientMetadata, policy: EffectiveClientPolicy) throws(AdminError) {
        let profile = policy.profile.rawValue
        if metadata.requirePushedAuthorizationRequests == false && policy.requiresPushedAuthorizationRequests {
            throw .invalidField(field: "require_pushed_authorization_requests", message: "must be true with fapi_profile \(profile)")
        }
        if metadata.requireSignedRequestObject == false && policy.requiresSignedRequestObject {
            throw .invalidField(field: "require_signed_request_object", message: "must be true with fapi_profile \(profile)")
        }
        guard policy.senderConstraint == .mutualTLS else { return }
        if metadata.dpopBoundAccessTokens == true {
            throw .invalidField(
                field: "dpop_bound_access_tokens",
                message: "is not allowed with fapi_profile \(profile): FAPI 1.0 binds access tokens to the client certificate (RFC 8705)"
            )
        }
        if metadata.tlsClientCertificateBoundAccessTokens == false {
            throw .invalidField(
                field: "tls_client_certificate_bound_access_tokens",
                message: "must be true with fapi_profile \(profile) (FAPI 1.0 Advanced §5.2.2)"
            )
        }
    }
}
