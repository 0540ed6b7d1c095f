import CustosCore
import Testing

@Suite("Base64URL")
struct Base64URLTests {
    /// RFC 4648 §10 test vectors, in the unpadded base64url form of §5.
    static let vectors: [(String, String)] = [
        ("", ""), ("f", "Zg"), ("fo", "Zm8"), ("foo", "Zm9v"), ("foob", "Zm9vYg"), ("fooba", "Zm9vYmE"), ("foobar", "Zm9vYmFy"),
    ]

    @Test("when the RFC 4648 vectors are encoded then the output is unpadded base64url")
    func encodesVectors() {
        for (plain, encoded) in Self.vectors {
            #expect(Base64URL.encode(Array(plain.utf8)) == encoded, "encoding \"\(plain)\"")
        }
    }

    @Test("when the RFC 4648 vectors are decoded then the original bytes come back")
    func decodesVectors() {
        for (plain, encoded) in Self.vectors {
            #expect(Base64URL.decode(encoded) == Array(plain.utf8), "decoding \"\(encoded)\"")
        }
    }

    @Test("when bytes map to 62 and 63 then the URL-safe characters - and _ are used")
    func urlSafeAlphabet() {
        #expect(Base64URL.encode([0xFB, 0xFF]) == "-_8")
        #expect(Base64URL.encode([0xFF, 0xFF, 0xFE]) == "___-")
        #expect(Base64URL.decode("-_8") == [0xFB, 0xFF])
    }

    @Test("when every byte value is round-tripped then it comes back unchanged")
    func roundTrip() {
        let bytes = (0...255).map { UInt8($0) }
        for length in [0, 1, 2, 3, 31, 32, 33, 256] {
            let slice = Array(bytes.prefix(length))
            let text = Base64URL.encode(slice)
            #expect(!text.contains("=") && !text.contains("+") && !text.contains("/"))
            #expect(Base64URL.decode(text) == slice)
        }
    }

    @Test(
        "when the text has padding, standard-alphabet characters, whitespace or an impossible length then decoding refuses it",
        arguments: ["Zg==", "Zm8=", "Zm9v=", "+_8", "-/8", "Zm9v Yg", " Zm9v", "Zm9v\n", "Zm9v\t", "Z", "Zm9vY", "Zm9v.Yg", "Zm9vYg%3D"]
    )
    func refuses(text: String) {
        #expect(Base64URL.decode(text) == nil)
    }
}
