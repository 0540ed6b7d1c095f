import CustosCore
import CustosTestSupport
import Foundation
import Testing

/// `at_hash` and `c_hash` (OpenID Connect Core §3.1.3.6, §3.3.2.11): the base64url of the
/// left-most half of the hash of the ASCII value, the hash being the one of the ID token's
/// `alg`. Checked against the values published in the specification and against digests
/// computed outside Custos.
@Suite("ID token: at_hash and c_hash")
struct IDTokenHashTests {
    /// OpenID Connect Core Appendix A.3 / A.6: the access token and its at_hash (RS256).
    static let specAccessToken = "jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y"
    static let specAtHash = "77QmUPtjPfzWtF2AnpK9RQ"
    /// OpenID Connect Core Appendix A.4 / A.6: the code and its c_hash (RS256).
    static let specCode = "Qcb0Orv1zh30vL1MPRsbm-diHiMwcLyZvn1arpZv-Jxf_11jnpEX3Tgfvk"
    static let specCHash = "LDktKdoQak3Pk0cnXxCltA"
    /// The left 32 bytes of SHA-512(specAccessToken), base64url, computed with Python's hashlib.
    static let sha512HalfOfSpecAccessToken = "q7nS86GgvvFaZkzALLWqJYaJIKw2wCDAVfCAsm5CrBM"

    @Test("when the access token of OpenID Connect Core A.3 is hashed for RS256 then at_hash is the published 77QmUPtjPfzWtF2AnpK9RQ")
    func specAtHashRS256() {
        #expect(IDTokenBuilder.halfHash(Self.specAccessToken, algorithm: .RS256) == Self.specAtHash)
    }

    @Test("when the code of OpenID Connect Core A.4 is hashed for RS256 then c_hash is the published LDktKdoQak3Pk0cnXxCltA")
    func specCHashRS256() {
        #expect(IDTokenBuilder.halfHash(Self.specCode, algorithm: .RS256) == Self.specCHash)
    }

    @Test("when the alg is ES256 or PS256 then the hash is SHA-256 as for RS256", arguments: [SigningAlgorithm.ES256, .PS256])
    func sha256Family(algorithm: SigningAlgorithm) {
        #expect(IDTokenBuilder.halfHash(Self.specAccessToken, algorithm: algorithm) == Self.specAtHash)
        #expect(IDTokenBuilder.halfHash(Self.specCode, algorithm: algorithm) == Self.specCHash)
    }

    @Test("when the alg is EdDSA (Ed25519) then the hash is SHA-512 and the half is 32 bytes")
    func eddsaUsesSHA512() throws {
        let value = IDTokenBuilder.halfHash(Self.specAccessToken, algorithm: .EdDSA)
        #expect(value == Self.sha512HalfOfSpecAccessToken)
        #expect(try #require(Base64URL.decode(value)).count == 32)
    }

    @Test("when any value is hashed for a SHA-256 alg then the result is unpadded base64url of 16 bytes")
    func shape() throws {
        for value in ["", "a", Self.specAccessToken, String(repeating: "x", count: 1000)] {
            let hash = IDTokenBuilder.halfHash(value, algorithm: .RS256)
            #expect(hash.count == 22, "\(value): \(hash)")
            #expect(!hash.contains("=") && !hash.contains("+") && !hash.contains("/"), "\(hash)")
            #expect(try #require(Base64URL.decode(hash)).count == 16)
        }
        // SHA-256("") = 47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU: the left half, hand-checked.
        #expect(IDTokenBuilder.halfHash("", algorithm: .RS256) == "47DEQpj8HBSa-_TImW-5JA")
    }

    @Test("when two values differ by one character then their hashes differ")
    func distinct() {
        #expect(
            IDTokenBuilder.halfHash(Self.specAccessToken, algorithm: .RS256)
                != IDTokenBuilder.halfHash(Self.specAccessToken + "x", algorithm: .RS256)
        )
    }
}
