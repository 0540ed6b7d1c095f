import CustosCore
import Foundation
import Testing

@Suite("Issued token lifetime")
struct IssuedTokenTests {
    static let issued = CoreFixtures.epoch

    func token(revokedAt: Date? = nil) -> IssuedToken {
        IssuedToken(
            id: ULID.make(at: Self.issued),
            tenant: .default,
            clientRecordID: "rec",
            clientID: "cl",
            kind: .accessToken,
            scope: "openid",
            createdAt: Self.issued,
            expiresAt: Self.issued.addingTimeInterval(900),
            revokedAt: revokedAt
        )
    }

    @Test("when a token is neither expired nor revoked then it is active until exactly its expiry")
    func untilExpiry() {
        let token = token()
        #expect(token.isActive(at: Self.issued))
        #expect(token.isActive(at: Self.issued.addingTimeInterval(899.999)))
        #expect(!token.isActive(at: Self.issued.addingTimeInterval(900)))
        #expect(!token.isActive(at: Self.issued.addingTimeInterval(901)))
    }

    @Test("when revocation takes effect in the future then the token stays active until then")
    func futureRevocation() {
        let token = token(revokedAt: Self.issued.addingTimeInterval(300))
        #expect(token.isActive(at: Self.issued.addingTimeInterval(299)))
        #expect(!token.isActive(at: Self.issued.addingTimeInterval(300)))
        #expect(!token.isActive(at: Self.issued.addingTimeInterval(600)))
    }

    @Test("when revocation took effect in the past then the token is inactive")
    func pastRevocation() {
        let token = token(revokedAt: Self.issued.addingTimeInterval(10))
        #expect(!token.isActive(at: Self.issued.addingTimeInterval(11)))
        #expect(token.isActive(at: Self.issued.addingTimeInterval(9)))
    }

    @Test("when revocation is scheduled after expiry then expiry still ends the token")
    func revocationAfterExpiry() {
        let token = token(revokedAt: Self.issued.addingTimeInterval(3_600))
        #expect(!token.isActive(at: Self.issued.addingTimeInterval(1_000)))
    }
}
