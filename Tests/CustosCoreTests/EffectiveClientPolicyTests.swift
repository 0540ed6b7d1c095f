import CustosCore
import CustosTestSupport
import Foundation
import Testing

/// What each FAPI profile turns on (`EffectiveClientPolicy`), the registration refusals of
/// metadata that contradicts it, and fapi1's certificate-only sender constraint.
@Suite("FAPI profiles: the effective policy and the metadata it refuses")
struct EffectiveClientPolicyTests {
    static let validator = ClientMetadataValidator(scopes: ScopeRegistry())

    /// A valid confidential private_key_jwt client of `profile`, `members` applied.
    static func request(_ profile: String, _ members: [String: JSONValue] = [:]) -> ClientRegistrationRequest {
        var request = FAPIProfileTests.fapiRequest(profile)
        request.metadataMembers = members
        return request
    }

    @Test("each profile turns on its rules: PAR, signed request objects, algorithms, PKCE and the sender constraint")
    func policyPerProfile() {
        func policy(_ profile: FAPIProfile, pkce: Bool = true) -> EffectiveClientPolicy {
            EffectiveClientPolicy(metadata: ClientMetadata(fapiProfile: profile), pkceRequired: pkce)
        }
        let none = policy(.none, pkce: false)
        #expect(!none.requiresPushedAuthorizationRequests && !none.requiresSignedRequestObject && !none.requiresPKCE)
        #expect(none.senderConstraint == .optional && none.signingAlgorithms == nil && none.allows(.RS256))

        let fapi1 = policy(.fapi1, pkce: false)
        #expect(!fapi1.requiresPushedAuthorizationRequests && fapi1.requiresSignedRequestObject)
        #expect(fapi1.requiresEveryParameterInRequestObject)
        #expect(!fapi1.requiresPKCE && fapi1.requiresPKCEWithPushedRequest)
        #expect(fapi1.senderConstraint == .mutualTLS && !fapi1.requiresIssuerAsSoleAudience)
        #expect(fapi1.signingAlgorithmNames == ["ES256", "PS256"])

        for profile in [FAPIProfile.fapi2, .fapi2MessageSigning] {
            let fapi2 = policy(profile, pkce: false)
            #expect(fapi2.requiresPushedAuthorizationRequests && fapi2.requiresPKCE && fapi2.requiresPKCEWithPushedRequest, "\(profile)")
            #expect(fapi2.senderConstraint == .dpopOrMutualTLS && !fapi2.requiresEveryParameterInRequestObject, "\(profile)")
            #expect(fapi2.signingAlgorithmNames == ["ES256", "PS256", "EdDSA"], "\(profile)")
            #expect(fapi2.requiresIssuerAsSoleAudience, "\(profile)")
        }
        #expect(!policy(.fapi2).requiresSignedRequestObject)
        #expect(policy(.fapi2MessageSigning).requiresSignedRequestObject)
        // The client's own flags count outside a profile.
        var flagged = ClientMetadata()
        flagged.requirePushedAuthorizationRequests = true
        flagged.requireSignedRequestObject = true
        let own = EffectiveClientPolicy(metadata: flagged, pkceRequired: true)
        #expect(own.requiresPushedAuthorizationRequests && own.requiresSignedRequestObject && own.isStrictAboutRequestObjects)
    }

    @Test(
        "when a fapi1 client registers what FAPI 1.0 Advanced forbids then the field is named",
        arguments: [
            ("dpop_bound_access_tokens", JSONValue.bool(true)),
            ("tls_client_certificate_bound_access_tokens", .bool(false)),
            ("require_signed_request_object", .bool(false)),
            ("request_object_signing_alg", .string("RS256")),
            ("request_object_signing_alg", .string("EdDSA")),
            ("request_object_signing_alg", .string("none")),
            ("id_token_signed_response_alg", .string("EdDSA")),
            ("userinfo_signed_response_alg", .string("RS256")),
            ("authorization_signed_response_alg", .string("EdDSA")),
            ("introspection_signed_response_alg", .string("RS256")),
        ]
    )
    func fapi1Refusals(field: String, value: JSONValue) {
        #expect(CoreFixtures.rejectedField(Self.request("fapi1", [field: value]), validator: Self.validator) == field, "\(value)")
    }

    @Test(
        "when a fapi2 or fapi2_message_signing client registers what the profile forbids then the field is named",
        arguments: ["fapi2", "fapi2_message_signing"]
    )
    func fapi2Refusals(profile: String) {
        let cases: [(String, JSONValue)] = [
            ("require_pushed_authorization_requests", .bool(false)),
            ("request_object_signing_alg", .string("RS256")),
            ("request_object_signing_alg", .string("none")),
            ("authorization_signed_response_alg", .string("RS256")),
            ("authorization_signed_response_alg", .string("HS256")),
            ("introspection_signed_response_alg", .string("RS256")),
        ]
        for (field, value) in cases {
            #expect(CoreFixtures.rejectedField(Self.request(profile, [field: value]), validator: Self.validator) == field, "\(profile) \(value)")
        }
        let signedOff = CoreFixtures.rejectedField(Self.request(profile, ["require_signed_request_object": .bool(false)]), validator: Self.validator)
        // fapi2 may go without request objects; Message Signing may not.
        #expect(signedOff == (profile == "fapi2" ? nil : "require_signed_request_object"))
        var withoutPKCE = Self.request(profile)
        withoutPKCE.requirePKCE = false
        #expect(CoreFixtures.rejectedField(withoutPKCE, validator: Self.validator) == "require_pkce")
    }

    @Test("when a fapi1 client registers what FAPI 1.0 allows then it is accepted: PS256/ES256, mTLS binding, PAR asked for, require_pkce false")
    func fapi1Accepted() throws {
        let accepted: [[String: JSONValue]] = [
            ["request_object_signing_alg": .string("PS256"), "id_token_signed_response_alg": .string("ES256")],
            ["authorization_signed_response_alg": .string("PS256"), "introspection_signed_response_alg": .string("ES256")],
            ["tls_client_certificate_bound_access_tokens": .bool(true), "require_signed_request_object": .bool(true)],
            ["require_pushed_authorization_requests": .bool(true)],
        ]
        for members in accepted {
            #expect(CoreFixtures.rejectedField(Self.request("fapi1", members), validator: Self.validator) == nil, "\(members)")
        }
        var withoutPKCE = Self.request("fapi1")
        withoutPKCE.requirePKCE = false
        let validated = try Self.validator.validate(withoutPKCE, existing: nil)
        #expect(validated.pkceRequired == false)
    }

    @Test("when a fapi1 client's token request is DPoP-bound or unbound then it gets no token; certificate-bound, it does")
    func fapi1CertificateBoundOnly() async throws {
        let binding = FixedSenderConstraint(.jkt("0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"))
        try await CoreHarness.with(senderConstraints: [binding]) { harness in
            var request = Self.request("fapi1")
            request.grantTypes = ["client_credentials"]
            let created = try await harness.register(request)
            let client = AuthenticatedClient(client: created.client, method: .privateKeyJWT)
            for confirmation in [Confirmation.jkt("0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"), nil] {
                binding.binding = confirmation
                do {
                    _ = try await harness.token(["grant_type": "client_credentials"], as: client)
                    Issue.record("a fapi1 client got a token bound by \(String(describing: confirmation))")
                } catch let error as OAuthError {
                    #expect(error.code == .invalidRequest, "\(error)")
                }
            }
            binding.binding = .x5tS256("bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2")
            let response = try await harness.token(["grant_type": "client_credentials"], as: client)
            #expect(response.tokenType == "Bearer")
            let record = try #require(try await harness.server.introspector.record(of: response.accessToken))
            #expect(record.attributes.confirmation == .x5tS256("bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2"))
        }
    }
}
