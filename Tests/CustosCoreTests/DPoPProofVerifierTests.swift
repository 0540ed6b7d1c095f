import CustosCore
import CustosTestSupport
import Foundation
import Testing

/// RFC 9449 §4.3 proof checks (security cases H3–H6, H8, H10, H18, H19), the nonces of §8 and
/// the `dpop_jkt` rule of §10.1 for PAR (H15), through the server's own verifier.
@Suite("DPoP proofs: the checks of RFC 9449 §4.3")
struct DPoPProofVerifierTests {
    static let htu = "http://custos.test/api/v1/oauth/token"

    static func expect(
        _ code: OAuthError.Code,
        _ comment: Comment? = nil,
        sourceLocation: SourceLocation = #_sourceLocation,
        _ body: () async throws -> some Any
    ) async {
        do {
            _ = try await body()
            Issue.record("expected \(code.rawValue): \(comment?.description ?? "")", sourceLocation: sourceLocation)
        } catch let error as OAuthError {
            #expect(error.code == code, "\(comment?.description ?? ""): \(error)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("expected \(code.rawValue), got \(error)", sourceLocation: sourceLocation)
        }
    }

    static func verify(
        _ harness: CoreHarness,
        _ proof: String,
        htm: String = "POST",
        htu: String = htu,
        accessToken: String? = nil,
        requiresNonce: Bool = false
    ) async throws -> DPoPProof {
        try await harness.server.dpop.verifier.verify(
            proof,
            expecting: DPoPExpectation(htm: htm, htu: htu, accessToken: accessToken, requiresNonce: requiresNonce)
        )
    }

    @Test("when a proof is well formed then each supported algorithm verifies and answers the RFC 7638 thumbprint (H1)")
    func validProofs() async throws {
        try await CoreHarness.with { harness in
            for algorithm in [SigningAlgorithm.ES256, .PS256, .EdDSA] {
                let maker = try DPoPProofMaker(algorithm)
                let proof = try await Self.verify(harness, try maker.proof(htu: Self.htu, iat: harness.clock.now))
                #expect(proof.thumbprint == maker.thumbprint, "\(algorithm)")
            }
        }
    }

    @Test("when the thumbprint is computed then it is the RFC 7638 §3.1 example's")
    func thumbprintExample() throws {
        // RFC 7638 §3.1: the RSA key's thumbprint is NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs.
        let n =
            "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"
        let members = ["kty": "RSA", "e": "AQAB", "n": n]
        let jwk = try JSONSerialization.data(withJSONObject: ["keys": [members]])
        let key = try #require(ClientPublicKey.parseSet(String(decoding: jwk, as: UTF8.self)).first?.verifier(for: .PS256))
        #expect(key.kid == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs")
    }

    @Test("when the proof is not a compact JWS or its base64url is bad then it is invalid_dpop_proof (H3)")
    func notAJWS() async throws {
        try await CoreHarness.with { harness in
            let good = try DPoPProofMaker().proof(htu: Self.htu, iat: harness.clock.now)
            for bad in ["not-a-jwt", "a.b", good + ".extra", "!!!." + good.split(separator: ".").dropFirst().joined(separator: "."), ""] {
                await Self.expect(.invalidDPoPProof, "\(bad.prefix(20))") { try await Self.verify(harness, bad) }
            }
        }
    }

    @Test("when typ is missing or JWT then it is invalid_dpop_proof (H4)")
    func wrongType() async throws {
        try await CoreHarness.with { harness in
            let maker = try DPoPProofMaker()
            for typ: any Sendable in [NSNull(), "JWT", "at+jwt"] {
                let proof = try maker.proof(htu: Self.htu, iat: harness.clock.now, header: ["typ": typ])
                await Self.expect(.invalidDPoPProof, "typ \(typ)") { try await Self.verify(harness, proof) }
            }
        }
    }

    @Test("when alg is none, HS256, RS256 or unknown then it is invalid_dpop_proof (H5)")
    func wrongAlgorithm() async throws {
        try await CoreHarness.with { harness in
            let maker = try DPoPProofMaker()
            for alg in ["none", "HS256", "RS256", "ES512"] {
                let proof = try maker.proof(htu: Self.htu, iat: harness.clock.now, header: ["alg": alg])
                await Self.expect(.invalidDPoPProof, "alg \(alg)") { try await Self.verify(harness, proof) }
            }
            // RS256 signed honestly with an RSA key is refused too (FAPI 2.0 §5.4).
            let rsa = try DPoPProofMaker(.RS256)
            await Self.expect(.invalidDPoPProof, "honest RS256") {
                try await Self.verify(harness, try rsa.proof(htu: Self.htu, iat: harness.clock.now))
            }
            // An alg the key cannot serve (EdDSA over a P-256 key).
            let mismatched = try maker.proof(htu: Self.htu, iat: harness.clock.now, header: ["alg": "EdDSA"])
            await Self.expect(.invalidDPoPProof, "alg/key mismatch") { try await Self.verify(harness, mismatched) }
        }
    }

    @Test("when the signature does not verify, or the jwk is another key, then it is invalid_dpop_proof (H6)")
    func badSignature() async throws {
        try await CoreHarness.with { harness in
            let maker = try DPoPProofMaker()
            let proof = try maker.proof(htu: Self.htu, iat: harness.clock.now)
            var parts = proof.split(separator: ".").map(String.init)
            parts[2] = String(parts[2].reversed())
            await Self.expect(.invalidDPoPProof, "tampered signature") { try await Self.verify(harness, parts.joined(separator: ".")) }
            let other = try DPoPProofMaker()
            let swapped = try maker.proof(htu: Self.htu, iat: harness.clock.now, header: ["jwk": other.jwk])
            await Self.expect(.invalidDPoPProof, "jwk of another key") { try await Self.verify(harness, swapped) }
        }
    }

    @Test("when the jwk carries a private member or is missing then it is invalid_dpop_proof")
    func privateKey() async throws {
        try await CoreHarness.with { harness in
            let maker = try DPoPProofMaker()
            for member in ["d", "p", "q", "dp", "dq", "qi", "k"] {
                var jwk = maker.jwk
                jwk[member] = "AQAB"
                let proof = try maker.proof(htu: Self.htu, iat: harness.clock.now, header: ["jwk": jwk])
                await Self.expect(.invalidDPoPProof, "private member \(member)") { try await Self.verify(harness, proof) }
            }
            let noKey = try maker.proof(htu: Self.htu, iat: harness.clock.now, header: ["jwk": NSNull()])
            await Self.expect(.invalidDPoPProof, "no jwk") { try await Self.verify(harness, noKey) }
        }
    }

    @Test("when htm or htu differ from the request then it is invalid_dpop_proof (H8); htu is compared normalised, without query")
    func methodAndURL() async throws {
        try await CoreHarness.with { harness in
            let maker = try DPoPProofMaker()
            let now = harness.clock.now
            await Self.expect(.invalidDPoPProof, "htm GET on POST") {
                try await Self.verify(harness, try maker.proof(htm: "GET", htu: Self.htu, iat: now))
            }
            await Self.expect(.invalidDPoPProof, "lower-case htm") {
                try await Self.verify(harness, try maker.proof(htm: "post", htu: Self.htu, iat: now))
            }
            for other in [
                "http://custos.test/api/v1/oauth/userinfo", "https://custos.test/api/v1/oauth/token", "http://evil.test/api/v1/oauth/token",
                "/api/v1/oauth/token",
            ] {
                await Self.expect(.invalidDPoPProof, "htu \(other)") { try await Self.verify(harness, try maker.proof(htu: other, iat: now)) }
            }
            // RFC 9449 §4.3 item 9: query and fragment are ignored; scheme, host and default port normalised.
            for same in ["HTTP://Custos.Test/api/v1/oauth/token", "http://custos.test:80/api/v1/oauth/token", Self.htu + "?a=b", Self.htu + "#frag"] {
                _ = try await Self.verify(harness, try maker.proof(htu: same, iat: now))
            }
        }
    }

    @Test("when jti, iat, htm or htu is missing then it is invalid_dpop_proof (H10)")
    func missingClaims() async throws {
        try await CoreHarness.with { harness in
            let maker = try DPoPProofMaker()
            for claim in ["jti", "iat", "htm", "htu"] {
                let proof = try maker.proof(htu: Self.htu, iat: harness.clock.now, claims: [claim: NSNull()])
                await Self.expect(.invalidDPoPProof, "without \(claim)") { try await Self.verify(harness, proof) }
            }
            let stringIAT = try maker.proof(htu: Self.htu, iat: harness.clock.now, claims: ["iat": "1800000000"])
            await Self.expect(.invalidDPoPProof, "iat as a string") { try await Self.verify(harness, stringIAT) }
        }
    }

    @Test("when iat is older than 60 s plus leeway or more than the leeway ahead then it is invalid_dpop_proof")
    func iatWindow() async throws {
        try await CoreHarness.with { harness in
            let maker = try DPoPProofMaker()
            let now = harness.clock.now
            await Self.expect(.invalidDPoPProof, "stale") { try await Self.verify(harness, try maker.proof(htu: Self.htu, iat: now - 71)) }
            await Self.expect(.invalidDPoPProof, "future") { try await Self.verify(harness, try maker.proof(htu: Self.htu, iat: now + 11)) }
            _ = try await Self.verify(harness, try maker.proof(htu: Self.htu, iat: now - 65))
            _ = try await Self.verify(harness, try maker.proof(htu: Self.htu, iat: now + 9))
        }
    }

    @Test("when a proof is presented twice then the second is invalid_dpop_proof")
    func replay() async throws {
        try await CoreHarness.with { harness in
            let proof = try DPoPProofMaker().proof(htu: Self.htu, iat: harness.clock.now)
            _ = try await Self.verify(harness, proof)
            await Self.expect(.invalidDPoPProof, "replayed jti") { try await Self.verify(harness, proof) }
        }
    }

    @Test("when the proof has unknown header parameters and claims then it is accepted (H18)")
    func extraMembers() async throws {
        try await CoreHarness.with { harness in
            let maker = try DPoPProofMaker()
            let proof = try maker.proof(
                htu: Self.htu,
                iat: harness.clock.now,
                header: ["x-extra": "value", "kid": "ignored"],
                claims: ["extra": ["nested": true], "exp": 1]
            )
            #expect(try await Self.verify(harness, proof).thumbprint == maker.thumbprint)
        }
    }

    @Test("when the jwk is RSA-16384 or the header is 100 KB then it is refused before any signature work (H19)")
    func oversized() async throws {
        try await CoreHarness.with { harness in
            let maker = try DPoPProofMaker(.PS256)
            let huge = ["kty": "RSA", "e": "AQAB", "n": Base64URL.encode([UInt8](repeating: 0xC3, count: 2048))]
            let bigKey = try maker.proof(htu: Self.htu, iat: harness.clock.now, header: ["jwk": huge])
            await Self.expect(.invalidDPoPProof, "RSA-16384") { try await Self.verify(harness, bigKey) }
            let bigHeader = try maker.proof(htu: Self.htu, iat: harness.clock.now, header: ["pad": String(repeating: "x", count: 100_000)])
            await Self.expect(.invalidDPoPProof, "100 KB header") { try await Self.verify(harness, bigHeader) }
            let small = ["kty": "RSA", "e": "AQAB", "n": Base64URL.encode([UInt8](repeating: 0xC3, count: 128))]
            let smallKey = try maker.proof(htu: Self.htu, iat: harness.clock.now, header: ["jwk": small])
            await Self.expect(.invalidDPoPProof, "RSA-1024") { try await Self.verify(harness, smallKey) }
        }
    }

    @Test("when a resource request's proof lacks ath or hashes another token then it is invalid_dpop_proof")
    func accessTokenHash() async throws {
        try await CoreHarness.with { harness in
            let maker = try DPoPProofMaker()
            let now = harness.clock.now
            let missing = try maker.proof(htm: "GET", htu: Self.htu, iat: now)
            await Self.expect(.invalidDPoPProof, "no ath") { try await Self.verify(harness, missing, htm: "GET", accessToken: "token-1") }
            let other = try maker.proof(htm: "GET", htu: Self.htu, iat: now, accessToken: "token-2")
            await Self.expect(.invalidDPoPProof, "ath of another token") {
                try await Self.verify(harness, other, htm: "GET", accessToken: "token-1")
            }
            let good = try maker.proof(htm: "GET", htu: Self.htu, iat: now, accessToken: "token-1")
            _ = try await Self.verify(harness, good, htm: "GET", accessToken: "token-1")
        }
    }

    @Test(
        "when a nonce is required, missing, foreign or expired then it is use_dpop_nonce with a fresh nonce; a current or previous one passes (H13)"
    )
    func nonces() async throws {
        try await CoreHarness.with { harness in
            let maker = try DPoPProofMaker()
            var fresh: String?
            do {
                _ = try await Self.verify(harness, try maker.proof(htu: Self.htu, iat: harness.clock.now), requiresNonce: true)
                Issue.record("a proof without a nonce passed")
            } catch let error as OAuthError {
                #expect(error.code == .useDPoPNonce)
                fresh = error.dpopNonce
            }
            let nonce = try #require(fresh)
            #expect(harness.server.dpopNonces.isValid(nonce))
            _ = try await Self.verify(harness, try maker.proof(htu: Self.htu, iat: harness.clock.now, nonce: nonce), requiresNonce: true)

            // Foreign: a nonce of the same shape made under another key is refused even when
            // nonces are optional (a present nonce is always checked).
            let foreign = DPoPNonces(key: MasterKey.generate().key.derive(purpose: "dpop-nonce"), clock: harness.clock).issue()
            await Self.expect(.useDPoPNonce, "foreign nonce") {
                try await Self.verify(harness, try maker.proof(htu: Self.htu, iat: harness.clock.now, nonce: foreign))
            }
            // A forged nonce whose slot is the largest number must not overflow the slot arithmetic.
            let maxSlot = "dn1." + Base64URL.encode([UInt8](repeating: 0xFF, count: 8) + [UInt8](repeating: 0, count: 32))
            #expect(!harness.server.dpopNonces.isValid(maxSlot))
            await Self.expect(.useDPoPNonce, "made-up nonce") {
                try await Self.verify(harness, try maker.proof(htu: Self.htu, iat: harness.clock.now, nonce: "hello"))
            }
            // One slot later the nonce is the previous one: still accepted. Two slots later: expired.
            harness.clock.advance(by: DPoPNonces.slotLength)
            _ = try await Self.verify(harness, try maker.proof(htu: Self.htu, iat: harness.clock.now, nonce: nonce), requiresNonce: true)
            harness.clock.advance(by: DPoPNonces.slotLength)
            await Self.expect(.useDPoPNonce, "expired nonce") {
                try await Self.verify(harness, try maker.proof(htu: Self.htu, iat: harness.clock.now, nonce: nonce), requiresNonce: true)
            }
            #expect(harness.server.dpopNonces.issue() != nonce, "nonces rotate")
        }
    }

    @Test("when PAR carries dpop_jkt and a proof by another key then it is invalid_dpop_proof (H15); alone, either one binds")
    func pushedRequestKey() async throws {
        try await CoreHarness.with { harness in
            let created = try await harness.register(
                ClientRegistrationRequest(name: "Web", redirectURIs: ["https://app.example.com/cb"], grantTypes: ["authorization_code"])
            )
            let client = try await harness.authenticate(created).client
            let k1 = try DPoPProofMaker()
            let k2 = try DPoPProofMaker()
            let parURL = "http://custos.test/api/v1/oauth/pushed-authorization"
            func presentation(_ maker: DPoPProofMaker?) throws -> RequestPresentation {
                RequestPresentation(dpopProof: try maker?.proof(htu: parURL, iat: harness.clock.now), htm: "POST", htu: parURL)
            }
            await Self.expect(.invalidDPoPProof, "dpop_jkt K1, proof K2") {
                try await harness.server.dpop.pushedRequestKey(presentation: try presentation(k2), dpopJKT: k1.thumbprint, client: client)
            }
            let fromProof = try await harness.server.dpop.pushedRequestKey(presentation: try presentation(k1), dpopJKT: nil, client: client)
            #expect(fromProof == k1.thumbprint)
            let fromParameter = try await harness.server.dpop.pushedRequestKey(
                presentation: try presentation(nil),
                dpopJKT: k1.thumbprint,
                client: client
            )
            #expect(fromParameter == k1.thumbprint)
            let both = try await harness.server.dpop.pushedRequestKey(presentation: try presentation(k1), dpopJKT: k1.thumbprint, client: client)
            #expect(both == k1.thumbprint)
            #expect(try await harness.server.dpop.pushedRequestKey(presentation: try presentation(nil), dpopJKT: nil, client: client) == nil)
            await Self.expect(.invalidRequest, "malformed dpop_jkt") {
                try await harness.server.dpop.pushedRequestKey(presentation: try presentation(nil), dpopJKT: "short", client: client)
            }
        }
    }

    static func client(fapiProfile: FAPIProfile, dpopBound: Bool? = nil) -> AuthenticatedClient {
        var client = OAuthClient(
            id: ULID.make(),
            tenant: .default,
            clientID: "cl_" + ULID.make().lowercased(),
            name: "Bank App",
            isConfidential: true,
            redirectURIs: ["https://app.example.com/cb"],
            grantTypes: [.clientCredentials],
            authMethods: [.privateKeyJWT],
            scopes: ["openid"],
            corsOrigins: [],
            fapiProfile: fapiProfile,
            createdAt: Date(),
            updatedAt: Date()
        )
        client.metadata.dpopBoundAccessTokens = dpopBound
        return AuthenticatedClient(client: client, method: .privateKeyJWT)
    }

    @Test("when a FAPI client's proof carries no nonce then the binding asks for one; another client's passes unless nonces are required")
    func fapiClientsNeedNonces() async throws {
        try await CoreHarness.with { harness in
            let maker = try DPoPProofMaker()
            func request() throws -> TokenRequest {
                TokenRequest(
                    parameters: ["grant_type": "client_credentials"],
                    presentation: RequestPresentation(dpopProof: try maker.proof(htu: Self.htu, iat: harness.clock.now), htm: "POST", htu: Self.htu)
                )
            }
            await Self.expect(.useDPoPNonce, "fapi2 client without a nonce") {
                try await harness.server.dpop.confirmation(for: try request(), client: Self.client(fapiProfile: .fapi2))
            }
            let plain = try await harness.server.dpop.confirmation(for: try request(), client: Self.client(fapiProfile: .none))
            #expect(plain == .jkt(maker.thumbprint))
            let none = try await harness.server.dpop.confirmation(for: TokenRequest(parameters: [:]), client: Self.client(fapiProfile: .none))
            #expect(none == nil, "no proof, no binding")
            await Self.expect(.invalidDPoPProof, "dpop_bound_access_tokens without a proof (H14)") {
                try await harness.server.dpop.confirmation(
                    for: TokenRequest(parameters: [:]),
                    client: Self.client(fapiProfile: .none, dpopBound: true)
                )
            }
        }
        try await CoreHarness.with(configure: { $0.dpopNonce = .required }) { harness in
            let proof = try DPoPProofMaker().proof(htu: Self.htu, iat: harness.clock.now)
            let request = TokenRequest(parameters: [:], presentation: RequestPresentation(dpopProof: proof, htm: "POST", htu: Self.htu))
            await Self.expect(.useDPoPNonce, "CUSTOS_DPOP_NONCE=required") {
                try await harness.server.dpop.confirmation(for: request, client: Self.client(fapiProfile: .none))
            }
        }
    }
}
