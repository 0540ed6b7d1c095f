import Crypto
import Foundation

/// Proof Key for Code Exchange (RFC 7636), S256 only (pinned rule 1; RFC 9700 §2.1.1).
public enum PKCE {
    /// RFC 7636 §4.2: BASE64URL(SHA256(ASCII(code_verifier))) is 43 characters.
    public static func isValidChallenge(_ challenge: String) -> Bool {
        challenge.utf8.count == 43 && Base64URL.decode(challenge) != nil
    }

    /// RFC 7636 §4.1: 43–128 characters from the unreserved set [A-Z a-z 0-9 - . _ ~].
    public static func isValidVerifier(_ verifier: String) -> Bool {
        (43...128).contains(verifier.utf8.count)
            && verifier.utf8.allSatisfy { byte in
                (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte)
                    || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_")
                    || byte == UInt8(ascii: "~")
            }
    }

    /// RFC 7636 §4.6, compared in constant time.
    public static func verify(verifier: String, challenge: String) -> Bool {
        let computed = Base64URL.encode(SHA256.hash(data: Data(verifier.utf8)))
        return ConstantTimeComparison.equals(Array(computed.utf8), Array(challenge.utf8))
    }
}
