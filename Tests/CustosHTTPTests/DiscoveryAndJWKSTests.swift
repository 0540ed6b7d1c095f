import CustosTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import CustosCore

@Suite("Discovery and JWKS")
struct DiscoveryAndJWKSTests {
    typealias Kit = OAuthEndpointKit

    static let discoveryPaths = ["/.well-known/openid-configuration", "/.well-known/oauth-authorization-server"]
    static let privateMembers = ["d", "p", "q", "dp", "dq", "qi", "k", "oth"]

    static func get(_ http: any TestClientProtocol, _ path: String) async throws -> TestResponse {
        try await http.execute(uri: path, method: .get, headers: [:], body: nil)
    }

    @Test("when both discovery URLs are read then they return the same metadata document", arguments: TestDatabase.all)
    func sameDocument(database: TestDatabase) async throws {
        let server = try await TestServer.make(database)
        try await server.run { http in
            let openid = try await Self.get(http, Self.discoveryPaths[0])
            let oauth = try await Self.get(http, Self.discoveryPaths[1])
            #expect(openid.status == .ok && oauth.status == .ok)
            #expect(openid.headers[.contentType]?.hasPrefix("application/json") == true)
            #expect(NSDictionary(dictionary: try openid.json()) == NSDictionary(dictionary: try oauth.json()))
        }
    }

    @Test("when discovery is read then it names the issuer, token endpoint, JWKS and client_credentials", arguments: TestDatabase.all)
    func metadata(database: TestDatabase) async throws {
        let server = try await TestServer.make(database)
        try await server.run { http in
            let document = try await Self.get(http, Self.discoveryPaths[0]).json()
            #expect(document["issuer"] as? String == "http://custos.test")
            #expect(document["token_endpoint"] as? String == "http://custos.test/api/v1/oauth/token")
            #expect(document["jwks_uri"] as? String == "http://custos.test/.well-known/jwks.json")
            let grants = try #require(document["grant_types_supported"] as? [String])
            #expect(grants.contains("client_credentials"))
            let methods = try #require(document["token_endpoint_auth_methods_supported"] as? [String])
            #expect(methods.contains("client_secret_basic") && methods.contains("client_secret_post"))
            #expect(document["response_types_supported"] is [String], "RFC 8414 §2: response_types_supported is REQUIRED")
        }
    }

    @Test("when the issuer is configured then discovery follows it", arguments: TestDatabase.all)
    func configuredIssuer(database: TestDatabase) async throws {
        let server = try await TestServer.make(database) { $0.issuer = "https://login.example.com" }
        try await server.run { http in
            let document = try await Self.get(http, Self.discoveryPaths[1]).json()
            #expect(document["issuer"] as? String == "https://login.example.com")
            #expect(document["token_endpoint"] as? String == "https://login.example.com/api/v1/oauth/token")
            #expect(document["jwks_uri"] as? String == "https://login.example.com/.well-known/jwks.json")
        }
    }

    static func expectedKeyType(_ algorithm: SigningAlgorithm) -> String {
        switch algorithm {
        case .ES256: "EC"
        case .RS256, .PS256: "RSA"
        case .EdDSA: "OKP"
        }
    }

    @Test("when the JWKS is read then every key has kid, alg and use and no private member", arguments: TestDatabase.all)
    func jwksPublicOnly(database: TestDatabase) async throws {
        let server = try await TestServer.make(database)
        try await server.run { http in
            let keys = try await Kit.jwks(http)
            #expect(!keys.isEmpty)
            var kids = Set<String>()
            for key in keys {
                let kid = try #require(key["kid"] as? String)
                #expect(kids.insert(kid).inserted, "duplicate kid \(kid)")
                let algorithm = try #require((key["alg"] as? String).flatMap(SigningAlgorithm.init(rawValue:)), "alg of \(kid)")
                #expect(key["use"] as? String == "sig")
                #expect(key["kty"] as? String == Self.expectedKeyType(algorithm))
                for member in Self.privateMembers { #expect(key[member] == nil, "\(member) published") }
                #expect(VerificationKey.thumbprint(of: Kit.thumbprintMembers(key)) == kid, "kid is the RFC 7638 thumbprint")
            }
            // The default access-token signer is ES256 and is published.
            let signer = try server.server.keys.signer
            #expect(signer.algorithm == .ES256)
            #expect(keys.contains { $0["kid"] as? String == signer.kid && $0["alg"] as? String == "ES256" && $0["crv"] as? String == "P-256" })
        }
    }

    @Test(
        "when another signing algorithm is configured then access tokens are signed with it under a published key",
        arguments: [SigningAlgorithm.RS256, .PS256, .EdDSA]
    )
    func otherAlgorithms(algorithm: SigningAlgorithm) async throws {
        let server = try await TestServer.make(.sqlite) { $0.signingAlgorithm = algorithm }
        try await server.run { http in
            let keys = try await Kit.jwks(http)
            let token = try await http.adminToken()
            let header = try jwtSegments(token).header
            #expect(header["alg"] as? String == algorithm.rawValue)
            let kid = try #require(header["kid"] as? String)
            let key = try #require(keys.first { $0["kid"] as? String == kid }, "the signing key \(kid) is not published")
            #expect(key["alg"] as? String == algorithm.rawValue)
            #expect(key["use"] as? String == "sig")
            #expect(key["kty"] as? String == Self.expectedKeyType(algorithm))
            for member in Self.privateMembers { #expect(key[member] == nil, "\(member) published") }
            #expect(VerificationKey.thumbprint(of: Kit.thumbprintMembers(key)) == kid)
            #expect(throws: Never.self) { try JWTVerifier(keys: server.server.keys).verify(token, type: "at+jwt") }
        }
    }

    @Test("when discovery or the JWKS is read then any origin may read it (CORS *)", arguments: TestDatabase.all)
    func cors(database: TestDatabase) async throws {
        let server = try await TestServer.make(database)
        try await server.run { http in
            for path in Self.discoveryPaths + ["/.well-known/jwks.json"] {
                let response = try await http.execute(
                    uri: path,
                    method: .get,
                    headers: [.init("Origin")!: "https://spa.example.com"],
                    body: nil
                )
                #expect(response.status == .ok, "\(path)")
                #expect(response.headers[.accessControlAllowOrigin] == "*", "\(path)")
            }
        }
    }

    @Test("when the jwks_uri announced by discovery is fetched then it is the key set", arguments: TestDatabase.all)
    func jwksURIResolves(database: TestDatabase) async throws {
        let server = try await TestServer.make(database)
        try await server.run { http in
            let document = try await Self.get(http, Self.discoveryPaths[0]).json()
            let uri = try #require(document["jwks_uri"] as? String)
            let path = String(uri.dropFirst("http://custos.test".count))
            let response = try await Self.get(http, path)
            #expect(response.status == .ok)
            #expect((try response.json()["keys"] as? [Any])?.isEmpty == false)
        }
    }
}
