import CustosCore
import CustosHTTP
import CustosTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// `GET /api/v1/docs/openapi.json` stays true to the server: the set of documented operations
/// (method and path) is exactly the set of routes the router serves, so neither a new route
/// nor a removed one can go unnoticed. (schemathesis in interop/hostile checks the answers.)
@Suite("OpenAPI document")
struct OpenAPIDocumentTests {
    static let methods = ["get", "put", "post", "delete", "options", "head", "patch"]

    @Test("when the served document is compared with the router then every route is documented and every documented operation is a route")
    func matchesRoutes() async throws {
        let server = try await TestServer.make(.sqlite)
        let router = try await buildRouter(configuration: server.http, server: server.server)
        let routes = Set(router.routes.map { "\($0.method.rawValue.uppercased()) \($0.path.description)" })
        try await server.run { http async throws in
            let response = try await http.execute(uri: "/api/v1/docs/openapi.json", method: .get, headers: [:], body: nil)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
            let document = try response.json()
            #expect((document["openapi"] as? String)?.hasPrefix("3.") == true)
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            var documented = Set<String>()
            for (path, item) in paths {
                for method in Self.methods where item[method] != nil { documented.insert("\(method.uppercased()) \(path)") }
            }
            #expect(routes.subtracting(documented).sorted() == [], "routes missing from the document")
            #expect(documented.subtracting(routes).sorted() == [], "documented operations the router does not serve")
            #expect(routes.count > 40, "the router lists \(routes.count) routes")
        }
    }
}
