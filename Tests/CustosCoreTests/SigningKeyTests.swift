import CustosTestSupport
import Foundation
import Testing

@testable import CustosCore

@Suite("Signing keys")
struct SigningKeyTests {
    /// RFC 7638 §3.1: the example RSA key and its SHA-256 thumbprint.
    static let rfc7638N =
        "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"

    static let privateMembers = ["d", "p", "q", "dp", "dq", "qi", "k", "oth"]

    @Test("when the RFC 7638 §3.1 example key is thumbprinted then the RFC's value comes out")
    func rfc7638Thumbprint() {
        #expect(
            VerificationKey.thumbprint(of: ["kty": "RSA", "n": Self.rfc7638N, "e": "AQAB"])
                == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
        )
        // Members that RFC 7638 §3.2 leaves out of the hash do not change it.
        #expect(
            VerificationKey.thumbprint(of: ["kty": "RSA", "n": Self.rfc7638N, "e": "AQAB", "alg": "RS256", "kid": "2011-04-29"])
                == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
        )
    }

    @Test("when an EC P-256 key is thumbprinted then only crv, kty, x and y are hashed in lexicographic order")
    func ecThumbprint() {
        let members = [
            "kty": "EC", "crv": "P-256", "x": "jJ6Flys3zK9jUhnOHf6G49Dyp5hah6CNP84-gY-n9eo",
            "y": "nhI6iD5eFXgBTLt_1p3aip-5VbZeMhxeFSpjfEAf7Ww",
        ]
        #expect(VerificationKey.thumbprint(of: members) == "w9eYdC6_s_tLQ8lH6PUpc0mddazaqtPgeC2IgWDiqY8")
    }

    @Test("when a key is generated then its kid is the RFC 7638 thumbprint of its public JWK", arguments: SigningAlgorithm.allCases)
    func kidIsThumbprint(algorithm: SigningAlgorithm) throws {
        let key = try SigningKey.generate(algorithm)
        #expect(key.algorithm == algorithm)
        #expect(key.kid == VerificationKey.thumbprint(of: key.verificationKey.publicMembers))
        #expect(key.kid.count == 43)
        #expect(try SigningKey.generate(algorithm).kid != key.kid)
    }

    @Test("when a key's JWK is published then it has kid, alg and use and no private member", arguments: SigningAlgorithm.allCases)
    func publicJWK(algorithm: SigningAlgorithm) throws {
        let key = try SigningKey.generate(algorithm)
        let jwk = key.verificationKey.jwk
        #expect(jwk["kid"] == key.kid)
        #expect(jwk["alg"] == algorithm.rawValue)
        #expect(jwk["use"] == "sig")
        for member in Self.privateMembers {
            #expect(jwk[member] == nil, "\(member) must not be published")
        }
        switch algorithm {
        case .ES256:
            #expect(jwk["kty"] == "EC" && jwk["crv"] == "P-256")
            #expect(Base64URL.decode(jwk["x"] ?? "")?.count == 32 && Base64URL.decode(jwk["y"] ?? "")?.count == 32)
        case .RS256, .PS256:
            #expect(jwk["kty"] == "RSA" && jwk["e"] == "AQAB")
            #expect((Base64URL.decode(jwk["n"] ?? "")?.count ?? 0) >= 256)
        case .EdDSA:
            #expect(jwk["kty"] == "OKP" && jwk["crv"] == "Ed25519")
            #expect(Base64URL.decode(jwk["x"] ?? "")?.count == 32)
        }
    }

    @Test(
        "when a token is signed with JWSCompact then JWTVerifier verifies it through the SigningKeySet",
        arguments: SigningAlgorithm.allCases
    )
    func signAndVerify(algorithm: SigningAlgorithm) async throws {
        try await CoreFixtures.withKeySet(algorithm) { keys in
            let signer = try keys.signer
            #expect(signer.algorithm == algorithm)
            let payload = Array("{\"sub\":\"client-1\",\"iss\":\"https://custos.test\"}".utf8)
            let token = try JWSCompact.sign(payload: payload, type: "at+jwt", key: signer)
            let header = try CoreFixtures.segment(token, 0)
            #expect(header["alg"] as? String == algorithm.rawValue)
            #expect(header["kid"] as? String == signer.kid)
            #expect(header["typ"] as? String == "at+jwt")
            #expect(try JWTVerifier(keys: keys).verify(token, type: "at+jwt") == payload)
            #expect(keys.publishedKeys.map(\.kid) == [signer.kid])
        }
    }

    @Test("when a private key is exported and imported again then the same key comes back", arguments: SigningAlgorithm.allCases)
    func exportImport(algorithm: SigningAlgorithm) throws {
        let original = try SigningKey.generate(algorithm)
        let restored = try SigningKey(algorithm: algorithm, privateKey: original.exportedPrivateKey())
        #expect(restored.kid == original.kid)
        #expect(restored.verificationKey.publicMembers == original.verificationKey.publicMembers)
        #expect(restored.exportedPrivateKey() == original.exportedPrivateKey())
        let input = Array("header.payload".utf8)
        #expect(original.verificationKey.isValidSignature(try restored.sign(input), for: input))
        #expect(restored.verificationKey.isValidSignature(try original.sign(input), for: input))
        #expect(!original.verificationKey.isValidSignature(try restored.sign(input), for: Array("header.payloaD".utf8)))
    }

    @Test("when bytes that are not a private key are imported then it fails", arguments: SigningAlgorithm.allCases)
    func importGarbage(algorithm: SigningAlgorithm) {
        #expect(throws: (any Error).self) { try SigningKey(algorithm: algorithm, privateKey: [1, 2, 3]) }
    }

    @Test("when RS256 and PS256 signatures are swapped then neither verifies under the other's algorithm")
    func rsaPaddingsAreBound() throws {
        let rs = try SigningKey.generate(.RS256)
        let ps = try SigningKey(algorithm: .PS256, privateKey: rs.exportedPrivateKey())
        let input = Array("a.b".utf8)
        #expect(rs.verificationKey.isValidSignature(try rs.sign(input), for: input))
        #expect(ps.verificationKey.isValidSignature(try ps.sign(input), for: input))
        #expect(!ps.verificationKey.isValidSignature(try rs.sign(input), for: input))
        #expect(!rs.verificationKey.isValidSignature(try ps.sign(input), for: input))
    }

    @Test("when the key set creates its first key then the stored private key is sealed and the public JWK is public only")
    func storedSealed() async throws {
        let storage: any Storage = try await TestDatabase.sqlite.makeStorage()
        let master = MasterKey.generate().key
        let keys = SigningKeySet(store: storage, sealer: KeySealer(masterKey: master), tenant: .default, clock: ManualClock(CoreFixtures.epoch))
        try await keys.ensureKeys(algorithms: [.ES256], logger: LogCapture().logger())
        try await keys.ensureKeys(algorithms: [.ES256], logger: LogCapture().logger())
        let stored = try await storage.signingKeys(tenant: .default)
        try #require(stored.count == 1)
        let record = stored[0]
        let signer = try keys.signer
        #expect(record.kid == signer.kid)
        #expect(record.status == .active)
        #expect(!record.sealedPrivateKey.contains(Base64URL.encode(signer.exportedPrivateKey())))
        #expect(try KeySealer(masterKey: master).open(record.sealedPrivateKey, kid: record.kid) == signer.exportedPrivateKey())
        let jwk = try #require(try JSONSerialization.jsonObject(with: Data(record.publicJWK.utf8)) as? [String: String])
        #expect(jwk["kid"] == signer.kid)
        for member in Self.privateMembers { #expect(jwk[member] == nil) }
        try await storage.close()
    }
}
