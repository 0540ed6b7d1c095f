import CustosCore
import CustosTestSupport
import Foundation
import Testing

/// FAPI 2.0 Security Profile §5 as registration and the token endpoint hold a client to it.
/// (PAR required, DPoP nonces and certificate binding are tested with their parts.)
@Suite("FAPI profile: registration rules and sender-constrained tokens")
struct FAPIProfileTests {
    static let profiles = ["fapi2", "fapi2_message_signing", "fapi1"]

    static func fapiRequest(_ profile: String, redirectURIs: [String] = ["https://app.example.com/cb"]) -> ClientRegistrationRequest {
        var request = CoreFixtures.createRequest(redirectURIs: redirectURIs)
        request.fapiProfile = profile
        request.clientAuthMethods = ["private_key_jwt"]
        request.jwks = CoreFixtures.jwkSet([CoreFixtures.publicECKey()])
        return request
    }

    @Test("when a FAPI client registers an http loopback redirect URI then it is refused, even where loopback http is allowed", arguments: profiles)
    func httpsRedirectsOnly(profile: String) {
        let lenient = ClientMetadataValidator(scopes: ScopeRegistry(), allowsLoopbackHTTPRedirects: true)
        let loopback = Self.fapiRequest(profile, redirectURIs: ["https://app.example.com/cb", "http://127.0.0.1:8080/cb"])
        #expect(CoreFixtures.rejectedField(loopback, validator: lenient) == "redirect_uris[1]")
        // The same URI is fine for a confidential client outside the profile.
        var plain = loopback
        plain.fapiProfile = ""
        #expect(CoreFixtures.rejectedField(plain, validator: lenient) == nil)
    }

    @Test(
        "when a FAPI client asks for RS256 ID tokens or UserInfo then the field is refused; PS256 and ES256 are accepted, EdDSA outside fapi1",
        arguments: profiles
    )
    func signingAlgorithms(profile: String) {
        let validator = ClientMetadataValidator(scopes: ScopeRegistry())
        for (member, field) in [
            ("id_token_signed_response_alg", "id_token_signed_response_alg"), ("userinfo_signed_response_alg", "userinfo_signed_response_alg"),
        ] {
            var rs256 = Self.fapiRequest(profile)
            rs256.metadataMembers = [member: .string("RS256")]
            #expect(CoreFixtures.rejectedField(rs256, validator: validator) == field, "\(profile) \(member)")
            for allowed in ["PS256", "ES256", "EdDSA"] {
                var request = Self.fapiRequest(profile)
                request.metadataMembers = [member: .string(allowed)]
                // FAPI 1.0 Advanced §8.6: PS256 or ES256 only.
                let refused = profile == "fapi1" && allowed == "EdDSA" ? field : nil
                #expect(CoreFixtures.rejectedField(request, validator: validator) == refused, "\(profile) \(member) \(allowed)")
            }
        }
        var plain = CoreFixtures.createRequest()
        plain.metadataMembers = ["id_token_signed_response_alg": .string("RS256")]
        #expect(CoreFixtures.rejectedField(plain, validator: validator) == nil)
    }

    @Test("when a FAPI client sets no ID token algorithm then its ID tokens are ES256, not the OpenID default RS256")
    func idTokenDefault() {
        var metadata = ClientMetadata(fapiProfile: .fapi2)
        #expect(metadata.idTokenAlgorithm == .ES256)
        metadata.fapiProfile = .none
        #expect(metadata.idTokenAlgorithm == .RS256)
        metadata.idTokenSignedResponseAlg = "PS256"
        #expect(metadata.idTokenAlgorithm == .PS256)
    }

    @Test("when a FAPI client's token request presents no sender constraint then it gets no token; bound, it gets a DPoP token")
    func senderConstrainedTokensOnly() async throws {
        let binding = FixedSenderConstraint(nil)
        try await CoreHarness.with(senderConstraints: [binding]) { harness in
            var request = Self.fapiRequest("fapi2")
            request.grantTypes = ["client_credentials"]
            let created = try await harness.register(request)
            // As the assertion verifier leaves it; the method is not what this rule is about.
            let client = AuthenticatedClient(client: created.client, method: .privateKeyJWT)
            do {
                _ = try await harness.token(["grant_type": "client_credentials"], as: client)
                Issue.record("a FAPI client got an unbound token")
            } catch let error as OAuthError {
                #expect(error.code == .invalidRequest)
            }
            binding.binding = .jkt("0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I")
            let response = try await harness.token(["grant_type": "client_credentials"], as: client)
            #expect(response.tokenType == "DPoP")
        }
    }
}
