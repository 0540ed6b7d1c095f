import CustosCore
import Foundation
import Testing

@Suite("JWT verification")
struct JWTVerifierTests {
    static var claims: [String: Any] { ["iss": "https://custos.test", "sub": "client-1", "exp": 1_800_000_900, "iat": 1_800_000_000] }

    func header(_ key: SigningKey, alg: String? = nil, kid: String? = nil, typ: String? = "at+jwt") -> [String: Any] {
        var header: [String: Any] = ["alg": alg ?? key.algorithm.rawValue, "kid": kid ?? key.kid]
        if let typ { header["typ"] = typ }
        return header
    }

    @Test("when a token is signed by the set's key with the expected typ then its payload is returned")
    func accepts() async throws {
        try await CoreFixtures.withKeySet { keys in
            let key = try keys.signer
            let token = try CoreFixtures.signedJWS(header: header(key), payload: Self.claims, key: key)
            let payload = try JWTVerifier(keys: keys).verify(token, type: "at+jwt")
            let decoded = try #require(try JSONSerialization.jsonObject(with: Data(payload)) as? [String: Any])
            #expect(decoded["sub"] as? String == "client-1")
        }
    }

    @Test("when the typ differs only in letter case then it is accepted (media types are case-insensitive)")
    func typCaseInsensitive() async throws {
        try await CoreFixtures.withKeySet { keys in
            let key = try keys.signer
            let token = try CoreFixtures.signedJWS(header: header(key, typ: "AT+JWT"), payload: Self.claims, key: key)
            #expect(throws: Never.self) { try JWTVerifier(keys: keys).verify(token, type: "at+jwt") }
        }
    }

    @Test("when typ carries the application/ prefix then it is accepted (RFC 9068 §4: at+jwt or application/at+jwt)")
    func typWithApplicationPrefix() async throws {
        try await CoreFixtures.withKeySet { keys in
            let key = try keys.signer
            let token = try CoreFixtures.signedJWS(header: header(key, typ: "application/at+jwt"), payload: Self.claims, key: key)
            #expect(throws: Never.self) { try JWTVerifier(keys: keys).verify(token, type: "at+jwt") }
        }
    }

    @Test("when alg is none in any spelling then the token is refused", arguments: ["none", "None", "NONE"])
    func algNone(alg: String) async throws {
        try await CoreFixtures.withKeySet { keys in
            let key = try keys.signer
            let verifier = JWTVerifier(keys: keys)
            let unsigned = try CoreFixtures.compactJWS(header: header(key, alg: alg), payload: Self.claims, signature: [])
            #expect(throws: JWTVerifier.Failure.unacceptableHeader) { try verifier.verify(unsigned, type: "at+jwt") }
            // Even with the key's real signature over the same input.
            let signed = try CoreFixtures.signedJWS(header: header(key, alg: alg), payload: Self.claims, key: key)
            #expect(throws: JWTVerifier.Failure.unacceptableHeader) { try verifier.verify(signed, type: "at+jwt") }
        }
    }

    @Test(
        "when alg is swapped to another value than the key's then the token is refused",
        arguments: ["HS256", "RS256", "PS256", "EdDSA", "ES384", "es256", ""]
    )
    func algSwapped(alg: String) async throws {
        try await CoreFixtures.withKeySet(.ES256) { keys in
            let key = try keys.signer
            let token = try CoreFixtures.signedJWS(header: header(key, alg: alg), payload: Self.claims, key: key)
            #expect(throws: JWTVerifier.Failure.unacceptableHeader) { try JWTVerifier(keys: keys).verify(token, type: "at+jwt") }
        }
    }

    @Test("when an RSA key's token claims HS256 with the public key as HMAC secret then it is refused")
    func rsaToHMACConfusion() async throws {
        try await CoreFixtures.withKeySet(.RS256) { keys in
            let key = try keys.signer
            let token = try CoreFixtures.compactJWS(
                header: header(key, alg: "HS256"),
                payload: Self.claims,
                signature: Array(repeating: 0xAB, count: 32)
            )
            #expect(throws: JWTVerifier.Failure.unacceptableHeader) { try JWTVerifier(keys: keys).verify(token, type: "at+jwt") }
        }
    }

    @Test("when the kid is unknown or missing then the token is refused")
    func unknownKid() async throws {
        try await CoreFixtures.withKeySet { keys in
            let key = try keys.signer
            let verifier = JWTVerifier(keys: keys)
            let foreign = try SigningKey.generate(.ES256)
            let byForeignKey = try CoreFixtures.signedJWS(header: header(foreign), payload: Self.claims, key: foreign)
            #expect(throws: JWTVerifier.Failure.unknownKey) { try verifier.verify(byForeignKey, type: "at+jwt") }
            var noKid = header(key)
            noKid["kid"] = nil
            let withoutKid = try CoreFixtures.signedJWS(header: noKid, payload: Self.claims, key: key)
            #expect(throws: JWTVerifier.Failure.unknownKey) { try verifier.verify(withoutKid, type: "at+jwt") }
        }
    }

    @Test("when a foreign key signs under our kid then the signature is refused")
    func foreignKeyOurKid() async throws {
        try await CoreFixtures.withKeySet { keys in
            let key = try keys.signer
            let foreign = try SigningKey.generate(.ES256)
            let token = try CoreFixtures.signedJWS(header: header(key), payload: Self.claims, key: foreign)
            #expect(throws: JWTVerifier.Failure.badSignature) { try JWTVerifier(keys: keys).verify(token, type: "at+jwt") }
        }
    }

    @Test("when typ is wrong or missing then the token is refused", arguments: ["JWT", "jwt", "dpop+jwt", "logout+jwt", "at+jwt2", nil])
    func wrongTyp(typ: String?) async throws {
        try await CoreFixtures.withKeySet { keys in
            let key = try keys.signer
            let token = try CoreFixtures.signedJWS(header: header(key, typ: typ), payload: Self.claims, key: key)
            #expect(throws: JWTVerifier.Failure.unacceptableHeader) { try JWTVerifier(keys: keys).verify(token, type: "at+jwt") }
        }
    }

    @Test("when the header carries crit then the token is refused")
    func crit() async throws {
        try await CoreFixtures.withKeySet { keys in
            let key = try keys.signer
            var critical = header(key)
            critical["crit"] = ["exp"]
            let token = try CoreFixtures.signedJWS(header: critical, payload: Self.claims, key: key)
            #expect(throws: JWTVerifier.Failure.unacceptableHeader) { try JWTVerifier(keys: keys).verify(token, type: "at+jwt") }
        }
    }

    @Test("when the payload or signature is tampered with then the signature check fails")
    func tampered() async throws {
        try await CoreFixtures.withKeySet { keys in
            let key = try keys.signer
            let verifier = JWTVerifier(keys: keys)
            let token = try CoreFixtures.signedJWS(header: header(key), payload: Self.claims, key: key)
            let parts = token.split(separator: ".").map(String.init)
            var claims = Self.claims
            claims["sub"] = "admin"
            let otherPayload = Base64URL.encode(try JSONSerialization.data(withJSONObject: claims, options: [.sortedKeys]))
            #expect(throws: JWTVerifier.Failure.badSignature) {
                try verifier.verify([parts[0], otherPayload, parts[2]].joined(separator: "."), type: "at+jwt")
            }
            var signature = try #require(Base64URL.decode(parts[2]))
            signature[signature.count - 1] ^= 0x01
            #expect(throws: JWTVerifier.Failure.badSignature) {
                try verifier.verify([parts[0], parts[1], Base64URL.encode(signature)].joined(separator: "."), type: "at+jwt")
            }
            #expect(throws: JWTVerifier.Failure.badSignature) {
                try verifier.verify([parts[0], parts[1], ""].joined(separator: "."), type: "at+jwt")
            }
        }
    }

    @Test("when a token is larger than the maximum then it is refused before parsing, even if well signed")
    func oversized() async throws {
        try await CoreFixtures.withKeySet { keys in
            let key = try keys.signer
            var claims = Self.claims
            claims["padding"] = String(repeating: "x", count: JWTVerifier.maximumLength)
            let token = try CoreFixtures.signedJWS(header: header(key), payload: claims, key: key)
            #expect(token.utf8.count > JWTVerifier.maximumLength)
            #expect(throws: JWTVerifier.Failure.malformed) { try JWTVerifier(keys: keys).verify(token, type: "at+jwt") }
        }
    }

    @Test("when the token is not three base64url parts with a JSON header then it is malformed")
    func malformed() async throws {
        try await CoreFixtures.withKeySet { keys in
            let key = try keys.signer
            let verifier = JWTVerifier(keys: keys)
            let token = try CoreFixtures.signedJWS(header: header(key), payload: Self.claims, key: key)
            let parts = token.split(separator: ".").map(String.init)
            for bad in [
                "", "abc", parts[0] + "." + parts[1], token + ".x", parts[0] + "=." + parts[1] + "." + parts[2],
                Base64URL.encode(Array("not json".utf8)) + "." + parts[1] + "." + parts[2],
                Base64URL.encode(Array("{\"kid\":\"\(key.kid)\",\"typ\":\"at+jwt\"}".utf8)) + "." + parts[1] + "." + parts[2],
            ] {
                #expect(throws: JWTVerifier.Failure.malformed, "\(bad)") { try verifier.verify(bad, type: "at+jwt") }
            }
        }
    }
}
