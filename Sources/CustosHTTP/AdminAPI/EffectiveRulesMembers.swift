import CustosCore

/// What the admin API shows of a client's `EffectiveClientPolicy`: the flags under their
/// metadata names as they apply (a fapi2 client shows `require_pushed_authorization_requests:
/// true` though it never stored the flag), and the whole policy in `effective_rules`.
///
/// Computed at every read, never stored: a profile change then leaves no flag behind that the
/// old profile turned on. A document read and sent back stores the flags explicitly, which
/// the registration rules accept because they agree with the profile.
enum EffectiveRulesMembers {
    static func members(of client: OAuthClient) -> [String: JSONValue] {
        let policy = client.policy
        let mutualTLS = policy.senderConstraint == .mutualTLS || client.tlsClientCertificateBoundAccessTokens == true
        let rules: [String: JSONValue] = [
            "fapi_profile": .string(policy.profile.rawValue),
            "require_pushed_authorization_requests": .bool(policy.requiresPushedAuthorizationRequests),
            "require_signed_request_object": .bool(policy.requiresSignedRequestObject),
            "require_every_parameter_in_request_object": .bool(policy.requiresEveryParameterInRequestObject),
            "signing_alg_values": .array(policy.signingAlgorithmNames.map(JSONValue.string)),
            "require_pkce": .bool(policy.requiresPKCE),
            "require_pkce_with_pushed_request": .bool(policy.requiresPKCEWithPushedRequest),
            "sender_constraint": .string(policy.senderConstraint.rawValue),
            "client_auth_methods": .array(
                ClientAuthenticationMethod.allCases.filter { policy.authenticationMethods?.contains($0) ?? true }.map { .string($0.rawValue) }
            ),
        ]
        return [
            "require_pushed_authorization_requests": .bool(policy.requiresPushedAuthorizationRequests),
            "require_signed_request_object": .bool(policy.requiresSignedRequestObject),
            "tls_client_certificate_bound_access_tokens": .bool(mutualTLS),
            "dpop_bound_access_tokens": .bool(client.dpopBoundAccessTokens == true),
            // The PKCE rule that applies (rule 17), not only the administrator's setting.
            "require_pkce": .bool(policy.requiresPKCE),
            "effective_rules": .object(rules),
        ]
    }
}
