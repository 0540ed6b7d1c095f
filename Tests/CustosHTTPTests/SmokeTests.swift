import CustosTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Admin API smoke")
struct SmokeTests {
    @Test("an admin creates a client and reads it back", arguments: TestDatabase.all)
    func createAndRead(database: TestDatabase) async throws {
        let server = try await TestServer.make(database)
        try await server.run { client in
            let token = try await client.adminToken()
            let created = try await client.admin(
                .post,
                "/oauth/clients",
                token: token,
                json: ["name": "Smoke", "redirect_uris": ["https://app.example.com/cb"]]
            )
            #expect(created.status == .created)
            let id = try #require(try created.data()["client_id"] as? String)
            let read = try await client.admin(.get, "/oauth/clients/\(id)", token: token)
            #expect(read.status == .ok)
            #expect(try read.data()["name"] as? String == "Smoke")
        }
    }
}
