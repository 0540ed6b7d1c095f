import CustosCore
import CustosStorage
import CustosTestSupport
import Foundation
import Testing

/// RFC 9396 on both backends: a code keeps the `authorization_details` the user approved
/// (migration 0012), a token keeps its own in its attributes, and the client store lists the
/// types active clients registered (discovery).
@Suite("Storage: authorization details")
struct AuthorizationDetailsStoreContractTests {
    typealias F = StorageFixtures

    static let details = AuthorizationDetails(details: [
        AuthorizationDetails.Detail(members: [
            "type": .string("payment_initiation"),
            "actions": .array([.string("initiate"), .string("status")]),
            "instructedAmount": .object(["currency": .string("EUR"), "amount": .string("123.50")]),
            "recurring": .bool(true),
        ])
    ])

    @Test("when a code is stored with or without authorization_details then it reads back the same", arguments: TestDatabase.all)
    func codeRoundTrip(database: TestDatabase) async throws {
        try await F.withStorage(database) { storage in
            var withDetails = AuthorizationCodeStoreContractTests.code(dpopJKT: nil)
            withDetails.authorizationDetails = Self.details
            let without = AuthorizationCodeStoreContractTests.code(dpopJKT: nil)
            try await storage.insert(withDetails)
            try await storage.insert(without)
            let read = try #require(try await storage.code(digest: withDetails.digest, tenant: .default))
            #expect(read == withDetails)
            #expect(read.authorizationDetails?.details.first?.members["recurring"] == .bool(true))
            #expect(try await storage.code(digest: without.digest, tenant: .default)?.authorizationDetails == nil)
        }
    }

    @Test("when a token is recorded with authorization_details in its attributes then they read back", arguments: TestDatabase.all)
    func tokenRoundTrip(database: TestDatabase) async throws {
        try await F.withStorage(database) { storage in
            let (client, _) = try await F.insertClient(storage)
            var token = F.token(for: client, kind: .refreshToken, createdAt: F.at(5), lifetime: 86_400)
            token.attributes = TokenAttributes(audience: ["https://issuer.example"], authorizationDetails: Self.details)
            try await storage.record([token])
            #expect(try await storage.token(id: token.id, tenant: .default)?.attributes.authorizationDetails == Self.details)
        }
    }

    @Test(
        "when active clients register authorization_details_types then the store lists each type once, sorted, without suspended or deleted clients",
        arguments: TestDatabase.all
    )
    func registeredTypes(database: TestDatabase) async throws {
        try await F.withStorage(database) { storage in
            #expect(try await storage.authorizationDetailsTypes(tenant: .default) == [])
            func insert(_ types: [String], status: ClientStatus = .active) async throws -> OAuthClient {
                var client = F.client(status: status)
                client.metadata.authorizationDetailsTypes = types
                try await storage.insert(client, secrets: [], audit: F.audit("client.create", target: client, at: F.epoch))
                return client
            }
            _ = try await insert(["payment_initiation", "account_information"])
            _ = try await insert(["payment_initiation", "tax_filing"])
            _ = try await insert(["suspended_type"], status: .suspended)
            let deleted = try await insert(["deleted_type"])
            try await storage.delete(deleted, at: F.at(1), audit: F.audit("client.delete", target: deleted, at: F.at(1)))
            try await F.insertClient(storage)
            #expect(
                try await storage.authorizationDetailsTypes(tenant: .default) == ["account_information", "payment_initiation", "tax_filing"]
            )
            #expect(try await storage.authorizationDetailsTypes(tenant: TenantID(rawValue: "other")) == [])
        }
    }
}
