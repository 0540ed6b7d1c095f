import CustosCore
import Testing

@Suite("Key sealing")
struct KeySealerTests {
    let master = MasterKey.generate().key
    let plaintext = (0..<32).map { UInt8($0 * 7 % 251) }

    @Test("when a key is sealed and opened with the same kid then the plaintext comes back")
    func roundTrip() throws {
        let sealer = KeySealer(masterKey: master)
        let sealed = try sealer.seal(plaintext, kid: "kid-1")
        #expect(try sealer.open(sealed, kid: "kid-1") == plaintext)
        #expect(try KeySealer(masterKey: master).open(sealed, kid: "kid-1") == plaintext)
    }

    @Test("when the same key is sealed twice then the ciphertexts differ and neither shows the plaintext")
    func freshNonce() throws {
        let sealer = KeySealer(masterKey: master)
        let first = try sealer.seal(plaintext, kid: "kid-1")
        let second = try sealer.seal(plaintext, kid: "kid-1")
        #expect(first != second)
        #expect(!first.contains(Base64URL.encode(plaintext)))
        #expect(Base64URL.decode(first)?.count == 12 + plaintext.count + 16)
    }

    @Test("when a sealed key is opened under another kid then it fails: the kid is authenticated")
    func wrongKid() throws {
        let sealer = KeySealer(masterKey: master)
        let sealed = try sealer.seal(plaintext, kid: "kid-1")
        #expect(throws: (any Error).self) { try sealer.open(sealed, kid: "kid-2") }
        #expect(throws: (any Error).self) { try sealer.open(sealed, kid: "") }
    }

    @Test("when a sealed key is opened under another master key then it fails")
    func otherMasterKey() throws {
        let sealed = try KeySealer(masterKey: master).seal(plaintext, kid: "kid-1")
        #expect(throws: (any Error).self) { try KeySealer(masterKey: MasterKey.generate().key).open(sealed, kid: "kid-1") }
    }

    @Test("when the sealed text is tampered with, truncated or not base64url then opening fails")
    func tampered() throws {
        let sealer = KeySealer(masterKey: master)
        let sealed = try sealer.seal(plaintext, kid: "kid-1")
        var bytes = try #require(Base64URL.decode(sealed))
        bytes[20] ^= 0x01
        #expect(throws: (any Error).self) { try sealer.open(Base64URL.encode(bytes), kid: "kid-1") }
        #expect(throws: (any Error).self) { try sealer.open(String(sealed.dropLast(8)), kid: "kid-1") }
        #expect(throws: (any Error).self) { try sealer.open("", kid: "kid-1") }
        #expect(throws: (any Error).self) { try sealer.open("!!not base64url!!", kid: "kid-1") }
    }
}
