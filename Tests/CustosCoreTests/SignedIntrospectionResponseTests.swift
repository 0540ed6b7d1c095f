import CustosTestSupport
import Foundation
import Testing

@testable import CustosCore

/// RFC 9701: the signed introspection answer (its claims, and which key signs it for a client)
/// and the registration rule for `introspection_signed_response_alg`.
@Suite("Signed introspection responses")
struct SignedIntrospectionResponseTests {
    static let field = "introspection_signed_response_alg"

    static func request(alg: String, profile: String? = nil) -> ClientRegistrationRequest {
        var request = profile.map { FAPIProfileTests.fapiRequest($0) } ?? CoreFixtures.createRequest()
        request.metadataMembers = [field: .string(alg)]
        return request
    }

    @Test("when introspection_signed_response_alg is not a signing algorithm of the server (none, HS256, junk) then the field is refused")
    func unknownAlgorithmRefused() {
        let validator = ClientMetadataValidator(scopes: ScopeRegistry())
        for alg in ["none", "HS256", "es256", "RS1024", ""] {
            #expect(CoreFixtures.rejectedField(Self.request(alg: alg), validator: validator) == Self.field, "\(alg)")
        }
        for alg in SigningAlgorithm.allCases.map(\.rawValue) {
            #expect(CoreFixtures.rejectedField(Self.request(alg: alg), validator: validator) == nil, "\(alg)")
        }
    }

    @Test(
        "when a FAPI client registers RS256 for introspection answers then the field is refused; PS256 and ES256 are accepted, EdDSA only outside fapi1",
        arguments: FAPIProfileTests.profiles
    )
    func fapiAlgorithms(profile: String) {
        let validator = ClientMetadataValidator(scopes: ScopeRegistry())
        #expect(CoreFixtures.rejectedField(Self.request(alg: "RS256", profile: profile), validator: validator) == Self.field)
        for alg in ["PS256", "ES256"] {
            #expect(CoreFixtures.rejectedField(Self.request(alg: alg, profile: profile), validator: validator) == nil, "\(alg)")
        }
        // FAPI 1.0 Advanced §8.6: PS256 and ES256 only; FAPI 2.0 §5.4.1 adds EdDSA.
        let eddsa = CoreFixtures.rejectedField(Self.request(alg: "EdDSA", profile: profile), validator: validator)
        #expect(eddsa == (profile == "fapi1" ? Self.field : nil), "EdDSA for \(profile)")
    }

    @Test("when the signer is chosen then a registered algorithm wins, else the default key, else ES256 for a FAPI client whose default is RS256")
    func signerChoice() async throws {
        try await CoreFixtures.withKeySet(.RS256, others: [.ES256, .PS256]) { keys in
            func algorithm(_ metadata: ClientMetadata) -> SigningAlgorithm? {
                try? SignedIntrospectionResponse.signer(for: metadata, keys: keys).algorithm
            }
            var metadata = ClientMetadata()
            #expect(algorithm(metadata) == .RS256)
            metadata.introspectionSignedResponseAlg = "PS256"
            #expect(algorithm(metadata) == .PS256)
            metadata.introspectionSignedResponseAlg = nil
            metadata.fapiProfile = .fapi2MessageSigning
            #expect(algorithm(metadata) == .ES256)
            // §6: answers in the registered algorithm only; with no key for it, none at all.
            metadata.introspectionSignedResponseAlg = "EdDSA"
            #expect(algorithm(metadata) == nil)
        }
    }

    @Test("when an answer is signed then the JWT carries typ, iss, aud, iat and the answer inside token_introspection only")
    func claims() async throws {
        try await CoreFixtures.withKeySet(.ES256) { keys in
            let key = try keys.signer
            let answer = Introspection(
                active: true,
                scope: "openid",
                clientID: "owner",
                username: nil,
                tokenType: "Bearer",
                exp: 1_800_000_900,
                iat: 1_800_000_000,
                sub: "user-1",
                aud: Audience(["https://rs.example.com"]),
                iss: "https://as.example.com",
                jti: "jti-1",
                cnf: nil,
                act: nil,
                userID: "internal-id"
            )
            let jwt = try SignedIntrospectionResponse.sign(
                answer,
                audience: "resource-server",
                issuer: "https://as.example.com",
                issuedAt: CoreFixtures.epoch,
                key: key
            )
            let payload = try JWTVerifier(keys: keys).verify(jwt, type: SignedIntrospectionResponse.type)
            let claims = try #require(try JSONSerialization.jsonObject(with: Data(payload)) as? [String: Any])
            #expect(try CoreFixtures.segment(jwt, 0)["typ"] as? String == "token-introspection+jwt")
            #expect(Set(claims.keys) == ["iss", "aud", "iat", "token_introspection"])
            #expect(claims["iss"] as? String == "https://as.example.com")
            #expect(claims["aud"] as? String == "resource-server")
            #expect(claims["iat"] as? Int == 1_800_000_000)
            let inner = try JSONDecoder().decode([String: JSONValue].self, from: Data(payload))["token_introspection"]
            #expect(inner == (try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(answer))))
            #expect((claims["token_introspection"] as? [String: Any])?["user_id"] == nil, "the internal user id stays out of RFC 7662 answers")

            let inactive = try SignedIntrospectionResponse.sign(nil, audience: "rs", issuer: "https://as.example.com", issuedAt: .now, key: key)
            let inactivePayload = try JWTVerifier(keys: keys).verify(inactive, type: SignedIntrospectionResponse.type)
            let inactiveAnswer = try JSONDecoder().decode([String: JSONValue].self, from: Data(inactivePayload))["token_introspection"]
            #expect(inactiveAnswer == .object(["active": .bool(false)]))
        }
    }
}
