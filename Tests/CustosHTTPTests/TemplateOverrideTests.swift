import CustosHTTP
import CustosTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Page templates")
struct TemplateOverrideTests {
    @Test("when the templates folder holds login.mustache then the login page uses it and the other pages keep the built-in ones")
    func overriddenLoginTemplate() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("custos-templates-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try """
        <!doctype html><title>Acme sign-in</title><main><h1>Welcome to Acme</h1>
        <form method="post" action="{{action}}"><input type="hidden" name="csrf_token" value="{{csrf_token}}"></form></main>
        """.write(to: folder.appendingPathComponent("login.mustache"), atomically: true, encoding: .utf8)

        let server = try await TestServer.make(http: HTTPConfiguration(templatesDirectory: folder.path))
        try await server.run { client in
            let login = try await client.execute(uri: "/api/v1/login", method: .get)
            #expect(login.status == .ok)
            #expect(login.text.contains("Welcome to Acme"))
            #expect(!login.text.contains("Username or email"))
            #expect(login.text.contains("name=\"csrf_token\" value=\""))
            // Pages without an override still render the built-in template.
            let consent = try await client.execute(uri: "/api/v1/consent", method: .get)
            #expect(consent.status == .badRequest)
            #expect(consent.text.contains("Secured by Custos"))
        }
    }
}
