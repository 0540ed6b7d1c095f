import CustosCore
import CustosTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// `post_logout_redirect_uris` on the admin API (RP-Initiated Logout §3.1): an administrator
/// registers where a client may send the browser after logout, with the rules redirect URIs
/// follow, and reads them back. Without it, a client created by an administrator could never
/// use a post-logout redirect (found by the mod_auth_openidc interop test).
@Suite("Admin: post-logout redirect URIs")
struct AdminClientLogoutURITests {
    @Test(
        "when a client is created with post_logout_redirect_uris then GET returns them, an update replaces them, [] clears them",
        arguments: TestDatabase.all
    )
    func roundTrip(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let created = try await admin.call(
                .post,
                "/oauth/clients",
                json: clientBody(["post_logout_redirect_uris": ["https://app.example.com/logged-out"]])
            )
            #expect(created.status == .created, "\(created.text)")
            let id = try #require(try created.data()["client_id"] as? String)
            #expect(try await admin.client(id)["post_logout_redirect_uris"] as? [String] == ["https://app.example.com/logged-out"])

            let updated = try await admin.call(.put, "/oauth/clients/\(id)", json: ["post_logout_redirect_uris": ["https://app.example.com/bye"]])
            #expect(updated.status == .ok, "\(updated.text)")
            #expect(try await admin.client(id)["post_logout_redirect_uris"] as? [String] == ["https://app.example.com/bye"])

            // An update that does not name the member keeps it.
            #expect(try await admin.call(.put, "/oauth/clients/\(id)", json: ["name": "Renamed"]).status == .ok)
            #expect(try await admin.client(id)["post_logout_redirect_uris"] as? [String] == ["https://app.example.com/bye"])

            #expect(try await admin.call(.put, "/oauth/clients/\(id)", json: ["post_logout_redirect_uris": [String]()]).status == .ok)
            #expect(try await admin.client(id)["post_logout_redirect_uris"] as? [String] == [])
        }
    }

    @Test(
        "when a post-logout redirect URI has a fragment, is not absolute or is javascript: then 400 naming it and nothing is stored",
        arguments: TestDatabase.all
    )
    func invalid(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            for uri in ["https://app.example.com/bye#x", "/bye", "javascript:alert(1)"] {
                try await admin.expectCreateRejected(
                    clientBody(["post_logout_redirect_uris": [uri]]),
                    naming: ["post_logout_redirect_uris[0]"],
                    uri
                )
            }
        }
    }
}
