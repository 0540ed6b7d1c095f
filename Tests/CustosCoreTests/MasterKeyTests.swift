import CustosCore
import Foundation
import Testing

@Suite("Master key")
struct MasterKeyTests {
    static let bytes = (0..<32).map { UInt8(255 - $0 * 3) }

    /// A fingerprint of what a master key derives, to compare keys without exposing them.
    static func fingerprint(_ key: MasterKey, purpose: String = "probe") -> String {
        ClientSecretHasher(key: key.derive(purpose: purpose)).digest("fingerprint")
    }

    @Test("when the key is given as base64, base64url or hex then all parse to the same key")
    func encodings() throws {
        let reference = Self.fingerprint(try MasterKey(bytes: Self.bytes))
        let base64 = Data(Self.bytes).base64EncodedString()
        let base64url = Base64URL.encode(Self.bytes)
        let hex = Self.bytes.map { String(format: "%02x", $0) }.joined()
        #expect(base64.contains("+") || base64.contains("/"), "the fixture should exercise the alphabets' difference")
        for text in [base64, base64url, hex, hex.uppercased(), "  \(base64)\n"] {
            #expect(Self.fingerprint(try MasterKey(encoded: text)) == reference, "\(text)")
        }
    }

    @Test("when a key is generated then its encoded form parses back to the same key")
    func generated() throws {
        let (key, encoded) = MasterKey.generate()
        #expect(Self.fingerprint(try MasterKey(encoded: encoded)) == Self.fingerprint(key))
        #expect(Self.fingerprint(MasterKey.generate().key) != Self.fingerprint(key))
    }

    @Test("when the key is shorter than 32 bytes then it is refused")
    func tooShort() {
        #expect(throws: MasterKeyError.tooShort) { try MasterKey(bytes: Array(Self.bytes.prefix(31))) }
        #expect(throws: MasterKeyError.tooShort) { try MasterKey(bytes: []) }
        #expect(throws: MasterKeyError.tooShort) { try MasterKey(encoded: Data(Self.bytes.prefix(16)).base64EncodedString()) }
        #expect(throws: MasterKeyError.tooShort) { try MasterKey(encoded: Data(Self.bytes.prefix(31)).base64EncodedString()) }
        #expect(throws: MasterKeyError.tooShort) { try MasterKey(encoded: "") }
    }

    @Test("when the text is neither base64 nor hex then it is refused as unreadable")
    func unreadable() {
        #expect(throws: MasterKeyError.unreadable) { try MasterKey(encoded: "this is not a key!") }
        #expect(throws: MasterKeyError.unreadable) { try MasterKey(encoded: String(repeating: "@", count: 64)) }
    }

    @Test("when keys are derived for different purposes then they differ")
    func purposes() throws {
        let key = try MasterKey(bytes: Self.bytes)
        #expect(Self.fingerprint(key, purpose: "signing-key-encryption") != Self.fingerprint(key, purpose: "client-secret-digest"))
        #expect(Self.fingerprint(key, purpose: "a") == Self.fingerprint(try MasterKey(bytes: Self.bytes), purpose: "a"))
    }
}
