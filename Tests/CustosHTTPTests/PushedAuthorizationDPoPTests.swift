import CustosCore
import CustosTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// A pushed request bound to a DPoP key (RFC 9449 §10.1): by `dpop_jkt`, by the push's own
/// proof, or both when they agree (security cases H15, H16 through PAR).
@Suite("PAR with DPoP: the pushed request binds the code to a key")
struct PushedAuthorizationDPoPTests {
    static let parURL = Flow.issuer + PushedAuthorizationTests.path

    /// A push as `client` with `proof` in the DPoP header, if any.
    static func push(_ flow: FlowContext, _ fields: [(String, String)], as client: FlowClient, proof: String?) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: OAuthEndpointKit.formType]
        if let authorization = client.authorization { headers[.authorization] = authorization }
        if let proof { headers[DPoPTests.dpop] = proof }
        return try await flow.http.execute(
            uri: PushedAuthorizationTests.path,
            method: .post,
            headers: headers,
            body: ByteBuffer(string: FormEncoding.encode(fields))
        )
    }

    /// Authorizes the pushed `requestURI` (consent given already) and returns the code.
    static func code(_ flow: FlowContext, _ client: FlowClient, requestURI: String) async throws -> String {
        let response = try await flow.authorize([("client_id", client.clientID), ("request_uri", requestURI)])
        let query = try #require(RedirectQuery(response.location), "\(response.status) \(response.text)")
        return try #require(query["code"])
    }

    static func redeem(_ flow: FlowContext, _ client: FlowClient, code: String, proof: String?) async throws -> TestResponse {
        let fields: [(String, String)] = [
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", client.redirectURI), ("code_verifier", Flow.verifier),
        ]
        return try await DPoPTests.token(flow, fields, client: client, proofs: proof.map { [$0] } ?? [])
    }

    @Test(
        "H15: when a push carries dpop_jkt of one key and a proof by another then it is 400 invalid_dpop_proof; agreeing, it is accepted",
        arguments: TestDatabase.all
    )
    func mismatchedKeys(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient()
            let k1 = try DPoPProofMaker()
            let k2 = try DPoPProofMaker(.EdDSA)
            let fields = PushedAuthorizationTests.fields(client, replacing: ["dpop_jkt": k1.thumbprint])
            let mismatched = try await Self.push(flow, fields, as: client, proof: try k2.proof(htu: Self.parURL, iat: flow.clock.now))
            PushedAuthorizationTests.expectError(mismatched, .badRequest, "invalid_dpop_proof", "dpop_jkt K1, proof K2")
            let agreeing = try await Self.push(flow, fields, as: client, proof: try k1.proof(htu: Self.parURL, iat: flow.clock.now))
            #expect(agreeing.status == .created, "\(agreeing.text)")
        }
    }

    @Test(
        "H16: when the push's proof binds the request to a key then the code is redeemed only with a proof by that key",
        arguments: TestDatabase.all
    )
    func proofBindsTheCode(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient()
            try await flow.consent(client)
            let k1 = try DPoPProofMaker()
            let k2 = try DPoPProofMaker(.EdDSA)
            let pushed = try await Self.push(
                flow,
                PushedAuthorizationTests.fields(client),
                as: client,
                proof: try k1.proof(htu: Self.parURL, iat: flow.clock.now)
            )
            #expect(pushed.status == .created, "\(pushed.text)")
            let code = try await Self.code(flow, client, requestURI: try #require(pushed.string("request_uri")))
            let wrongKey = try await Self.redeem(flow, client, code: code, proof: try k2.proof(htu: DPoPTests.tokenURL, iat: flow.clock.now))
            #expect(wrongKey.string("error") == "invalid_grant", "\(wrongKey.text)")
            let unproven = try await Self.redeem(flow, client, code: code, proof: nil)
            #expect(unproven.string("error") == "invalid_grant", "\(unproven.text)")
            let right = try await Self.redeem(flow, client, code: code, proof: try k1.proof(htu: DPoPTests.tokenURL, iat: flow.clock.now))
            #expect(right.status == .ok, "\(right.text)")
            #expect(try DPoPTests.jkt(try #require(right.string("access_token"))) == k1.thumbprint)
        }
    }

    @Test("when a push's proof is for another URL then the push is 400 invalid_dpop_proof")
    func proofForAnotherURL() async throws {
        try await withFlow(.sqlite) { flow in
            let client = try await flow.makeClient()
            let key = try DPoPProofMaker()
            let response = try await Self.push(
                flow,
                PushedAuthorizationTests.fields(client),
                as: client,
                proof: try key.proof(htu: DPoPTests.tokenURL, iat: flow.clock.now)
            )
            PushedAuthorizationTests.expectError(response, .badRequest, "invalid_dpop_proof", "htu of the token endpoint")
        }
    }
}
