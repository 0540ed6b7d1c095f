import CustosCore
import CustosTestSupport
import Foundation
import Testing

/// Two nodes (two `AuthorizationServer`s with one master key over one database): a DPoP nonce
/// either issued is accepted by the other, and a proof's `jti` is single use across both
/// (RFC 9449 §8, §11.1).
@Suite("DPoP across nodes: nonces and jti")
struct DPoPNodesTests {
    static let htu = "http://custos.test/api/v1/oauth/token"

    @Test("when node A issues a nonce then node B accepts it, and a proof used at A is refused at B", arguments: TestDatabase.all)
    func twoNodes(database: TestDatabase) async throws {
        let storage: any Storage = try await database.makeStorage()
        do {
            let clock = ManualClock(Date())
            let masterKey = MasterKey.generate().key
            let configuration = ServerConfiguration(issuer: "http://custos.test")
            let nodeA = AuthorizationServer(configuration: configuration, storage: storage, masterKey: masterKey, clock: clock)
            let nodeB = AuthorizationServer(configuration: configuration, storage: storage, masterKey: masterKey, clock: clock)
            let other = AuthorizationServer(configuration: configuration, storage: storage, masterKey: MasterKey.generate().key, clock: clock)

            let nonce = nodeA.dpopNonces.issue()
            #expect(nodeB.dpopNonces.isValid(nonce), "one master key, one nonce schedule")
            #expect(!other.dpopNonces.isValid(nonce), "a server with another master key did not issue it")

            let maker = try DPoPProofMaker(.EdDSA)
            let proof = try maker.proof(htu: Self.htu, iat: clock.now, nonce: nonce)
            let expectation = DPoPExpectation(htm: "POST", htu: Self.htu, requiresNonce: true)
            let verified = try await nodeA.dpop.verifier.verify(proof, expecting: expectation)
            #expect(verified.thumbprint == maker.thumbprint)
            #expect(verified.nonce == nonce)
            do {
                _ = try await nodeB.dpop.verifier.verify(proof, expecting: expectation)
                Issue.record("the proof was accepted twice")
            } catch let error as OAuthError {
                #expect(error.code == .invalidDPoPProof)
            }
            // A fresh proof with A's nonce passes at B.
            _ = try await nodeB.dpop.verifier.verify(try maker.proof(htu: Self.htu, iat: clock.now, nonce: nonce), expecting: expectation)
        } catch {
            try await storage.close()
            throw error
        }
        try await storage.close()
    }
}
