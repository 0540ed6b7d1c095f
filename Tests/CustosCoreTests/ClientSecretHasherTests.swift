import CustosCore
import Testing

@Suite("Client secret hashing")
struct ClientSecretHasherTests {
    static let master = MasterKey.generate().key
    let hasher = ClientSecretHasher(key: ClientSecretHasherTests.master.derive(purpose: "client-secret-digest"))
    let otherKeyHasher = ClientSecretHasher(key: MasterKey.generate().key.derive(purpose: "client-secret-digest"))

    @Test("when a secret is generated then it has the scanner prefix and 256 bits as 43 base64url characters")
    func shape() throws {
        let secret = hasher.generate()
        #expect(ClientSecretHasher.prefix == "custos_cs_")
        #expect(secret.hasPrefix("custos_cs_"))
        let body = secret.dropFirst(ClientSecretHasher.prefix.count)
        #expect(body.count == 43)
        let bytes = try #require(Base64URL.decode(body))
        #expect(bytes.count == 32)
    }

    @Test("when many secrets are generated then none repeats")
    func unique() {
        let secrets = (0..<1_000).map { _ in hasher.generate() }
        #expect(Set(secrets).count == secrets.count)
    }

    @Test("when a secret is digested then the digest is deterministic and does not contain the secret")
    func deterministic() {
        let secret = hasher.generate()
        let digest = hasher.digest(secret)
        #expect(digest == hasher.digest(secret))
        #expect(!digest.contains(secret.dropFirst(ClientSecretHasher.prefix.count)))
        #expect(Base64URL.decode(digest)?.count == 32)
    }

    @Test("when the server key differs then the digest differs: the digest is keyed")
    func keyed() {
        let secret = hasher.generate()
        #expect(hasher.digest(secret) != otherKeyHasher.digest(secret))
        let samePurposeSameMaster = ClientSecretHasher(key: Self.master.derive(purpose: "client-secret-digest"))
        #expect(hasher.digest(secret) == samePurposeSameMaster.digest(secret))
        let otherPurpose = ClientSecretHasher(key: Self.master.derive(purpose: "something-else"))
        #expect(hasher.digest(secret) != otherPurpose.digest(secret))
    }

    @Test("when the presented secret is the digested one then it matches, and any other secret does not")
    func matches() {
        let secret = hasher.generate()
        let digest = hasher.digest(secret)
        #expect(hasher.matches(secret, digest: digest))
        #expect(!hasher.matches(hasher.generate(), digest: digest))
        #expect(!hasher.matches(String(secret.dropLast()), digest: digest))
        #expect(!hasher.matches(secret + "x", digest: digest))
        #expect(!hasher.matches("", digest: digest))
    }

    @Test("when the digest was made under another key then the secret does not match")
    func otherKey() {
        let secret = hasher.generate()
        #expect(!hasher.matches(secret, digest: otherKeyHasher.digest(secret)))
    }

    @Test("when the stored digest is tampered with, truncated or malformed then nothing matches")
    func tampered() throws {
        let secret = hasher.generate()
        var bytes = try #require(Base64URL.decode(hasher.digest(secret)))
        bytes[0] ^= 0x01
        #expect(!hasher.matches(secret, digest: Base64URL.encode(bytes)))
        #expect(!hasher.matches(secret, digest: String(hasher.digest(secret).dropLast(4))))
        #expect(!hasher.matches(secret, digest: ""))
        #expect(!hasher.matches(secret, digest: "not base64url!"))
        #expect(!hasher.matches(secret, digest: hasher.digest(secret) + "=="))
    }
}
