import CustosCore
import Foundation
import Testing

/// PKCE (RFC 7636), S256 only: the Appendix B vector, the verifier syntax of §4.1 and the
/// challenge shape of §4.2.
@Suite("PKCE")
struct PKCETests {
    static let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    static let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"

    @Test("when the RFC 7636 Appendix B verifier is checked against its challenge then it matches")
    func appendixB() {
        #expect(PKCE.verify(verifier: Self.verifier, challenge: Self.challenge))
        #expect(PKCE.isValidVerifier(Self.verifier))
        #expect(PKCE.isValidChallenge(Self.challenge))
    }

    @Test("when the verifier or challenge differs by one character, or plain is attempted, then it does not match")
    func mismatches() {
        #expect(!PKCE.verify(verifier: String(Self.verifier.dropLast()) + "l", challenge: Self.challenge))
        #expect(!PKCE.verify(verifier: Self.verifier, challenge: String(Self.challenge.dropLast()) + "N"))
        // `plain` would compare the verifier with itself: S256 never accepts that.
        #expect(!PKCE.verify(verifier: Self.verifier, challenge: Self.verifier))
        // Padding or standard base64 of the same hash is not the challenge.
        #expect(!PKCE.verify(verifier: Self.verifier, challenge: Self.challenge + "="))
        #expect(!PKCE.verify(verifier: Self.verifier, challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw+cM"))
        #expect(!PKCE.verify(verifier: Self.verifier, challenge: ""))
    }

    @Test(
        "when a verifier has 43 or 128 unreserved characters then it is well-formed",
        arguments: [
            String(repeating: "a", count: 43), String(repeating: "Z", count: 128), "0123456789-._~ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefgh",
        ]
    )
    func validVerifiers(verifier: String) {
        #expect(PKCE.isValidVerifier(verifier))
    }

    @Test(
        "when a verifier has 42 or 129 characters, or a character outside [A-Za-z0-9-._~], then it is malformed",
        arguments: [
            String(repeating: "a", count: 42), String(repeating: "a", count: 129), "", String(repeating: "a", count: 42) + "+",
            String(repeating: "a", count: 42) + "/", String(repeating: "a", count: 42) + "=", String(repeating: "a", count: 42) + " ",
            String(repeating: "a", count: 42) + "%", String(repeating: "a", count: 41) + "é", String(repeating: "a", count: 42) + "\u{0}",
        ]
    )
    func invalidVerifiers(verifier: String) {
        #expect(!PKCE.isValidVerifier(verifier))
    }

    @Test(
        "when a challenge is not 43 base64url characters then it is malformed",
        arguments: [
            "", "abc", Self.challenge + "A", String(Self.challenge.dropLast()), String(Self.challenge.dropLast()) + "+",
            String(Self.challenge.dropLast()) + "=", Self.verifier + "x",
        ]
    )
    func invalidChallenges(challenge: String) {
        #expect(!PKCE.isValidChallenge(challenge))
    }
}
