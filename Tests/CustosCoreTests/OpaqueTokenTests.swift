import CustosCore
import Foundation
import Testing

/// The one opaque-token strategy: for each kind its prefix, 256 random bits in base64url, and
/// the digest every stored row was written with (base64url SHA-256 of the whole value).
@Suite("Opaque tokens: one strategy for every handle")
struct OpaqueTokenTests {
    static let prefixes: [(OpaqueToken.Kind, String)] = [
        (.accessToken, "custos_at_"), (.refreshToken, "custos_rt_"), (.authorizationCode, "custos_ac_"),
        (.registrationAccessToken, "custos_rat_"), (.initialAccessToken, "custos_iat_"), (.session, ""),
        (.pendingAuthorization, ""), (.pushedAuthorizationRequest, "urn:ietf:params:oauth:request_uri:"),
    ]

    @Test("when a value of each kind is made then it is the kind's prefix and 32 random bytes in base64url")
    func format() throws {
        #expect(Self.prefixes.count == OpaqueToken.Kind.allCases.count, "every kind has its expected prefix here")
        for (kind, prefix) in Self.prefixes {
            #expect(kind.prefix == prefix)
            let (value, digest) = OpaqueToken.generate(kind)
            #expect(value.hasPrefix(prefix), "\(kind)")
            let random = String(value.dropFirst(prefix.count))
            #expect(random.count == 43, "\(kind): 256 bits are 43 base64url characters")
            #expect(Base64URL.decode(random)?.count == 32, "\(kind)")
            #expect(random.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }, "\(kind)")
            #expect(digest == OpaqueToken.digest(value), "\(kind): the digest handed out is the one looked up")
            let values = Set((0..<64).map { _ in OpaqueToken.make(kind) })
            #expect(values.count == 64, "\(kind): no repeats")
        }
    }

    @Test("when a digest is taken then it is the base64url SHA-256 stored rows were written with")
    func digestStable() {
        // Known values (computed independently): changing the digest would orphan every stored row.
        #expect(OpaqueToken.digest("custos_at_example") == "0tkNTrKsf8ZPjh2KZgZekRd4XcX1rpfQV4Ir1Smp1r4")
        #expect(OpaqueToken.digest("session-cookie-example") == "Xw5j4gWFOO2eA7XmaikR45jfsQWwaes2IdoCNDFFVtY")
        #expect(AuthorizationEndpoint.digest("custos_at_example") == OpaqueToken.digest("custos_at_example"))
        #expect(RegistrationToken.prefix == "custos_iat_")
    }
}
