import CustosCore
import Testing

@Suite("JWK Set validation")
struct JWKSetValidatorTests {
    static var rsaKey: [String: Any] {
        [
            "kty": "RSA", "kid": "rsa-1", "e": "AQAB",
            "n":
                "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
        ]
    }
    static var okpKey: [String: Any] { ["kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"] }

    @Test("when a set holds public EC, RSA and OKP keys then it is accepted")
    func acceptsPublicKeys() {
        let text = CoreFixtures.jwkSet([CoreFixtures.publicECKey(), Self.rsaKey, Self.okpKey])
        #expect(JWKSetValidator.problem(in: text) == nil)
    }

    @Test("when keys have no kid then they are still accepted")
    func acceptsWithoutKid() {
        #expect(JWKSetValidator.problem(in: CoreFixtures.jwkSet([CoreFixtures.publicECKey(kid: nil), Self.okpKey])) == nil)
    }

    @Test(
        "when the text is not a JWK Set then it is refused",
        arguments: [
            "", "not json", "[]", "{}", "{\"keys\": {}}", "{\"keys\": \"x\"}", "{\"keys\": []}", "{\"keys\": [1]}",
            "\"{\\\"keys\\\":[]}\"", "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"a\",\"y\":\"b\"}",
        ]
    )
    func refusesNonSets(text: String) {
        #expect(JWKSetValidator.problem(in: text) != nil)
    }

    @Test("when a key carries a private member then it is refused and the member is named", arguments: ["d", "p", "q", "dp", "dq", "qi", "k"])
    func refusesPrivateMembers(member: String) throws {
        var key = member == "d" || member == "k" ? CoreFixtures.publicECKey() : Self.rsaKey
        key[member] = "AQAB"
        let problem = try #require(JWKSetValidator.problem(in: CoreFixtures.jwkSet([key])))
        #expect(problem.contains("\"\(member)\""))
    }

    @Test("when a symmetric key is registered then it is refused")
    func refusesSymmetricKey() {
        #expect(JWKSetValidator.problem(in: CoreFixtures.jwkSet([["kty": "oct", "k": "c2VjcmV0"]])) != nil)
        #expect(JWKSetValidator.problem(in: CoreFixtures.jwkSet([["kty": "oct"]])) != nil)
    }

    @Test("when two keys share a kid then the set is refused and the kid is named")
    func refusesDuplicateKid() throws {
        var second = Self.rsaKey
        second["kid"] = "same"
        let problem = try #require(JWKSetValidator.problem(in: CoreFixtures.jwkSet([CoreFixtures.publicECKey(kid: "same"), second])))
        #expect(problem.contains("duplicate"))
        #expect(problem.contains("same"))
    }

    @Test("when a key lacks a required member or kty then it is refused")
    func refusesIncompleteKeys() {
        var noY = CoreFixtures.publicECKey()
        noY["y"] = nil
        var emptyN = Self.rsaKey
        emptyN["n"] = ""
        var noKty = Self.okpKey
        noKty["kty"] = nil
        for key in [noY, emptyN, noKty] {
            #expect(JWKSetValidator.problem(in: CoreFixtures.jwkSet([key])) != nil)
        }
    }

    @Test("when a kid is not a string then the set is refused")
    func refusesNonStringKid() {
        var key = CoreFixtures.publicECKey()
        key["kid"] = 7
        #expect(JWKSetValidator.problem(in: CoreFixtures.jwkSet([key])) != nil)
    }

    @Test("when the set holds more keys than allowed then it is refused")
    func refusesTooManyKeys() {
        let keys = (0...JWKSetValidator.maximumKeys).map { CoreFixtures.publicECKey(kid: "k\($0)") }
        #expect(JWKSetValidator.problem(in: CoreFixtures.jwkSet(Array(keys.dropLast()))) == nil)
        #expect(JWKSetValidator.problem(in: CoreFixtures.jwkSet(keys)) != nil)
    }

    @Test("when the text is larger than the maximum size then it is refused")
    func refusesOversized() {
        var key = CoreFixtures.publicECKey()
        key["x5u"] = String(repeating: "a", count: JWKSetValidator.maximumSize)
        #expect(JWKSetValidator.problem(in: CoreFixtures.jwkSet([key])) != nil)
    }
}
