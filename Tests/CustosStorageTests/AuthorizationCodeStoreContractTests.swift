import CustosCore
import CustosStorage
import CustosTestSupport
import Foundation
import Testing

/// `AuthorizationCodeStore` keeps a code's DPoP key binding (RFC 9449 §10, `dpop_jkt`,
/// migration 0011) on both backends; a code without one reads back unbound.
@Suite("Authorization code store: DPoP key binding")
struct AuthorizationCodeStoreContractTests {
    static func code(dpopJKT: String?) -> AuthorizationCode {
        AuthorizationCode(
            digest: "ac-" + ULID.make(),
            tenant: .default,
            clientID: "cl_web",
            userID: ULID.make(),
            grantID: ULID.make(),
            redirectURI: "https://app.example.com/cb",
            scopes: ["openid"],
            codeChallenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
            nonce: nil,
            authTime: StorageFixtures.epoch,
            sessionID: ULID.make(),
            amr: ["pwd"],
            createdAt: StorageFixtures.epoch,
            expiresAt: StorageFixtures.at(60),
            dpopJKT: dpopJKT
        )
    }

    @Test("when a code is stored with or without dpop_jkt then it reads back the same", arguments: TestDatabase.all)
    func dpopKeyRoundTrip(database: TestDatabase) async throws {
        try await StorageFixtures.withStorage(database) { storage in
            let bound = Self.code(dpopJKT: "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I")
            let unbound = Self.code(dpopJKT: nil)
            try await storage.insert(bound)
            try await storage.insert(unbound)
            let readBound = try #require(try await storage.code(digest: bound.digest, tenant: .default))
            #expect(readBound == bound)
            #expect(readBound.dpopJKT == "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I")
            let readUnbound = try #require(try await storage.code(digest: unbound.digest, tenant: .default))
            #expect(readUnbound.dpopJKT == nil)
            #expect(readUnbound == unbound)
        }
    }
}
