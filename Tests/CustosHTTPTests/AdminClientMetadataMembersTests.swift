import CustosCore
import CustosTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The admin API over `ClientMetadata`: a member without an admin contract field of its own
/// is written and read under its wire name, with no admin-specific code.
@Suite("Admin API: generic client metadata members")
struct AdminClientMetadataMembersTests {
    @Test(
        "when a client is created with OpenID members the contract does not name then GET returns them and null clears one",
        arguments: TestDatabase.all
    )
    func genericMembers(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let created = try await admin.call(
                .post,
                "/oauth/clients",
                json: clientBody(["contacts": ["ops@example.com"], "default_max_age": 300, "registration_access_token_digest": "forged"])
            )
            #expect(created.status == .created, "\(created.text)")
            let id = try #require(try created.data()["client_id"] as? String)
            let item = try await admin.client(id)
            #expect(item["contacts"] as? [String] == ["ops@example.com"])
            #expect(item["default_max_age"] as? Int == 300)
            #expect(item["registration_access_token_digest"] == nil, "never settable nor shown")

            #expect(try await admin.call(.put, "/oauth/clients/\(id)", json: ["contacts": NSNull()]).status == .ok)
            let cleared = try await admin.client(id)
            #expect(cleared["contacts"] == nil && cleared["default_max_age"] as? Int == 300)

            let wrong = try await admin.call(.put, "/oauth/clients/\(id)", json: ["default_max_age": "soon"])
            #expect(wrong.status == .badRequest && wrong.text.contains("default_max_age"), "\(wrong.text)")
        }
    }

    @Test(
        "when an administrator sends sector_identifier_uri then it is refused with 400 and nothing is stored, because only registration verifies it",
        arguments: TestDatabase.all
    )
    func sectorIdentifierOnlyThroughRegistration(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let before = try await admin.clientTotal()
            let refused = try await admin.call(
                .post,
                "/oauth/clients",
                json: clientBody(["sector_identifier_uri": "https://other.example.com/sector.json", "subject_type": "pairwise"])
            )
            expectSimpleError(refused, .badRequest, "sector_identifier_uri on create")
            #expect(refused.text.contains("sector_identifier_uri"), "\(refused.text)")
            #expect(try await admin.clientTotal() == before)
            let created = try await admin.create(clientBody())
            let id = try #require(created["client_id"] as? String)
            let update = try await admin.call(.put, "/oauth/clients/\(id)", json: ["sector_identifier_uri": "https://other.example.com/s.json"])
            expectSimpleError(update, .badRequest, "sector_identifier_uri on update")
            #expect(try await admin.client(id)["sector_identifier_uri"] == nil)
        }
    }
}
