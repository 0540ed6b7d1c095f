/// What a client held to a FAPI profile may register beyond what every client may: the
/// registration half of FAPI 2.0 Security Profile §5 (the request-time half lives where each
/// request is checked: PAR required at the authorization endpoint, sender-constrained tokens
/// at the token endpoint, PS256/ES256/EdDSA for assertions and request objects). Confidential
/// only, private_key_jwt or mutual TLS, and PKCE kept are checked with the fields they concern
/// (`ClientMetadataValidator.validAuthMethods`, `validPKCERequirement`).
enum FAPIRegistrationRules {
    /// FAPI 2.0 Security Profile §5.4.1: the algorithms a FAPI party signs and verifies with.
    static let signingAlgorithms: Set<SigningAlgorithm> = [.PS256, .ES256, .EdDSA]

    static func check(_ metadata: ClientMetadata, profile: FAPIProfile) throws(AdminError) {
        guard profile != .none else { return }
        // FAPI 2.0 Security Profile §5.3.2.2 (security case A3; RFC 9700 §2.6): a FAPI client's
        // authorization responses travel over https only; the development allowance for http
        // loopback redirects (`CUSTOS_ALLOW_LOOPBACK_HTTP_REDIRECTS`) does not reach it.
        for (index, uri) in metadata.redirectURIs.enumerated() where RedirectURIPolicy.scheme(of: uri) != "https" {
            throw .invalidField(
                field: "redirect_uris[\(index)]",
                message: "invalid_redirect_uri: fapi_profile \(profile.rawValue) allows https redirect URIs only"
            )
        }
        let algorithms: [(field: String, value: String?)] = [
            ("id_token_signed_response_alg", metadata.idTokenSignedResponseAlg),
            ("userinfo_signed_response_alg", metadata.userinfoSignedResponseAlg),
        ]
        for (field, value) in algorithms {
            guard let value, SigningAlgorithm(rawValue: value).map(signingAlgorithms.contains) != true else { continue }
            throw .invalidField(
                field: field,
                message: "\(value) is not allowed with fapi_profile \(profile.rawValue); use PS256, ES256 or EdDSA (FAPI 2.0 §5.4.1)"
            )
        }
    }
}
