import CustosCore
import CustosTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Paginated admin lists with absurd page numbers (found by schemathesis: `?page=` near
/// Int.max trapped on overflow and took the process down).
@Suite("Admin API: pagination bounds")
struct AdminPaginationTests {
    @Test("when a list asks for page Int.max then it answers 200 with no items and the server keeps serving", arguments: TestDatabase.all)
    func hugePage(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            for path in [
                "/oauth/clients", "/users", "/oauth/clients/\(TestServer.adminClientID)/audit-logs",
                "/oauth/clients/\(TestServer.adminClientID)/tokens",
            ] {
                let response = try await admin.call(.get, "\(path)?page=9223372036854775807&page_size=100")
                #expect(response.status == .ok, "\(path): \(response.status) \(response.text)")
                #expect((try? response.json()["items"] as? [Any])?.isEmpty == true, "\(path): \(response.text)")
            }
            #expect(try await admin.call(.get, "/oauth/clients").status == .ok)
        }
    }
}
