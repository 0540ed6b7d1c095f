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

    @Test("when the API prefix is configured then the served document's paths carry it and still equal the routes")
    func servedUnderTheConfiguredPrefix() async throws {
        let server = try await TestServer.make(.sqlite)
        var http = server.http
        http.apiPrefix = "/identity/v2"
        let router = try await buildRouter(configuration: http, server: server.server)
        let routes = Set(router.routes.map { "\($0.method.rawValue.uppercased()) \($0.path.description)" })
        let app = try await buildApplication(configuration: http, server: server.server, logger: server.logs.logger())
        do {
            try await Self.expectPrefixedDocument(app, routes: routes)
        } catch {
            try? await server.server.storage.close()
            throw error
        }
        try await server.server.storage.close()
    }

    static func expectPrefixedDocument(_ app: some ApplicationProtocol, routes: Set<String>) async throws {
        try await app.test(.router) { client in
            #expect(try await client.execute(uri: "/api/v1/docs/openapi.json", method: .get).status == .notFound)
            let response = try await client.execute(uri: "/identity/v2/docs/openapi.json", method: .get)
            #expect(response.status == .ok)
            let paths = try #require(try response.json()["paths"] as? [String: [String: Any]])
            #expect(paths.keys.filter { $0.hasPrefix("/api/v1") }.sorted() == [], "no path keeps the written prefix")
            #expect(paths["/identity/v2/oauth/token"] != nil && paths["/.well-known/jwks.json"] != nil)
            var documented = Set<String>()
            for (path, item) in paths {
                for method in methods where item[method] != nil { documented.insert("\(method.uppercased()) \(path)") }
            }
            #expect(documented == routes)
        }
    }

    @Test("when the document is served then its capability examples are the server's lists and no marker is left")
    func capabilitiesFilledFromTheRegistries() async throws {
        let server = try await TestServer.make(.sqlite)
        try await server.run { http async throws in
            let response = try await http.execute(uri: "/api/v1/docs/openapi.json", method: .get, headers: [:], body: nil)
            #expect(!response.text.contains("x-custos-"), "every marker is replaced at start-up")
            let document = try response.json()
            let discovery = try await http.execute(uri: "/.well-known/openid-configuration", method: .get, headers: [:], body: nil).json()
            let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: [String: Any]])
            func property(_ schema: String, _ name: String) -> [String: Any]? {
                (schemas[schema]?["properties"] as? [String: Any])?[name] as? [String: Any]
            }
            let grantTypes = try #require(discovery["grant_types_supported"] as? [String])
            #expect(property("TokenRequest", "grant_type")?["examples"] as? [String] == grantTypes)
            let clientGrantTypes = property("CreateClientRequest", "grant_types")?["items"] as? [String: Any]
            #expect(clientGrantTypes?["examples"] as? [String] == grantTypes)
            let authMethods = property("CreateClientRequest", "client_auth_methods")?["items"] as? [String: Any]
            #expect(authMethods?["examples"] as? [String] == discovery["token_endpoint_auth_methods_supported"] as? [String])
            #expect(property("RotateKeyRequest", "algorithm")?["examples"] as? [String] == SigningAlgorithm.allCases.map(\.rawValue))
        }
    }
}
