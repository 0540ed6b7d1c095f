import CustosCore
import CustosTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Introspection is for resource servers ("Authorization boundaries", rule 8): a client sees
/// its own tokens; another client's only when an administrator marked it `is_resource_server`;
/// administrators see all. `sub` is the issued subject; `username` goes to resource servers only.
@Suite("Introspection: who may see which token")
struct IntrospectionAccessTests {
    static func expectInactive(_ response: TestResponse, _ comment: String, sourceLocation: SourceLocation = #_sourceLocation) {
        IntrospectionTests.expectInactive(response, comment, sourceLocation: sourceLocation)
    }

    /// `POST /internal/oauth/introspect` with `authorization`.
    static func internalIntrospect(_ flow: FlowContext, _ token: String, authorization: String?) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let authorization { headers[.authorization] = authorization }
        return try await flow.http.execute(
            uri: Flow.internalIntrospectPath,
            method: .post,
            headers: headers,
            body: ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: ["token": token]))
        )
    }

    @Test(
        "when a client that is not a resource server introspects another client's token then the answer is exactly {\"active\":false}",
        arguments: TestDatabase.all
    )
    func otherClientsTokenIsInactive(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let owner = try await flow.makeClient(name: "Owner")
            let other = try await flow.makeClient(name: "Other")
            let body = try await flow.tokens(for: owner)
            for key in ["access_token", "refresh_token"] {
                let token = try #require(body[key] as? String)
                Self.expectInactive(try await flow.introspect(token, caller: other), "\(key) of another client")
                let internalAnswer = try await Self.internalIntrospect(flow, token, authorization: other.authorization)
                #expect(internalAnswer.status == .ok, "\(internalAnswer.text)")
                #expect(try internalAnswer.data()["active"] as? Bool == false, "internal endpoint, \(key): \(internalAnswer.text)")
                #expect(try internalAnswer.data()["client_id"] as? String == "", "nothing about the token: \(internalAnswer.text)")
            }
            // Its own token it still sees, without the username.
            let own = try await flow.introspect(try #require(body["access_token"] as? String), caller: owner).json()
            #expect(own["active"] as? Bool == true, "\(own)")
            #expect(own["sub"] as? String == flow.user.id)
            #expect(own["username"] == nil, "username only for resource servers: \(own)")
        }
    }

    @Test(
        "when an administrator marks a client is_resource_server then it introspects other clients' tokens with the username",
        arguments: TestDatabase.all
    )
    func resourceServerSeesAll(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let owner = try await flow.makeClient(name: "Owner")
            let api = try await flow.makeClient(["grant_types": ["client_credentials"], "is_resource_server": true], name: "Photo API")
            let access = try #require(try await flow.tokens(for: owner)["access_token"] as? String)
            let json = try await flow.introspect(access, caller: api).json()
            #expect(json["active"] as? Bool == true, "\(json)")
            #expect(json["client_id"] as? String == owner.clientID)
            #expect(json["username"] as? String == "alice")
            #expect(json["sub"] as? String == flow.user.id)
            let internalAnswer = try await Self.internalIntrospect(flow, access, authorization: api.authorization)
            #expect(try internalAnswer.data()["active"] as? Bool == true, "\(internalAnswer.text)")

            // The flag is admin metadata: read back, and cleared by an update.
            let token = try await flow.http.adminToken()
            let item = try await flow.http.admin(.get, "/oauth/clients/\(api.clientID)", token: token)
            #expect(try item.data()["is_resource_server"] as? Bool == true, "\(item.text)")
            let cleared = try await flow.http.admin(.put, "/oauth/clients/\(api.clientID)", token: token, json: ["is_resource_server": false])
            #expect(cleared.status == .ok, "\(cleared.text)")
            #expect(try cleared.data()["is_resource_server"] as? Bool == false, "\(cleared.text)")
            Self.expectInactive(try await flow.introspect(access, caller: api), "no longer a resource server")
        }
    }

    @Test(
        "when a client is created with or without is_resource_server then its item says so and the create response keeps its 18 fields",
        arguments: TestDatabase.all
    )
    func defaultIsNotResourceServer(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let token = try await flow.http.adminToken()
            let created = try await flow.http.admin(.post, "/oauth/clients", token: token, json: clientBody())
            #expect(created.status == .created, "\(created.text)")
            let data = try created.data()
            #expect(data["is_resource_server"] == nil, "the create response keeps the contract's 18 fields: \(created.text)")
            let clientID = try #require(data["client_id"] as? String)
            let item = try await flow.http.admin(.get, "/oauth/clients/\(clientID)", token: token)
            #expect(try item.data()["is_resource_server"] as? Bool == false, "\(item.text)")
            let marked = try await flow.http.admin(.post, "/oauth/clients", token: token, json: clientBody(["is_resource_server": true]))
            let markedID = try #require(try marked.data()["client_id"] as? String, "\(marked.text)")
            let markedItem = try await flow.http.admin(.get, "/oauth/clients/\(markedID)", token: token)
            #expect(try markedItem.data()["is_resource_server"] as? Bool == true, "\(markedItem.text)")
            let wrongType = try await flow.http.admin(.post, "/oauth/clients", token: token, json: clientBody(["is_resource_server": "yes"]))
            #expect(wrongType.status == .badRequest, "\(wrongType.text)")
        }
    }

    @Test("when dynamic registration sends is_resource_server true then the client is not a resource server", arguments: TestDatabase.all)
    func registrationCannotMakeResourceServer(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let owner = try await openID.flow.makeClient(name: "Owner")
            let access = try #require(try await openID.flow.tokens(for: owner)["access_token"] as? String)
            let registered = try await Registration.register(
                openID.http,
                ["is_resource_server": true]
            )
            Self.expectInactive(try await openID.flow.introspect(access, caller: registered.flowClient), "a self-registered client")
            let item = try await openID.http.admin(.get, "/oauth/clients/\(registered.clientID)", token: try await openID.http.adminToken())
            #expect(try item.data()["is_resource_server"] as? Bool == false, "\(item.text)")
        }
    }

    @Test(
        "when the bootstrap admin client or an admin bearer token introspects any token then it is active with the username",
        arguments: TestDatabase.all
    )
    func administratorsSeeAll(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let owner = try await flow.makeClient(name: "Owner")
            let access = try #require(try await flow.tokens(for: owner)["access_token"] as? String)
            let byAdminClient = try await flow.introspect(access, caller: flow.adminClient).json()
            #expect(byAdminClient["active"] as? Bool == true, "\(byAdminClient)")
            #expect(byAdminClient["username"] as? String == "alice")
            let byBearer = try await flow.introspect(access, bearer: try await flow.http.adminToken()).json()
            #expect(byBearer["active"] as? Bool == true, "\(byBearer)")
            #expect(byBearer["username"] as? String == "alice")
        }
    }

    @Test(
        "when a pairwise client's token is introspected then sub is the pairwise subject the token carries, never the user id",
        arguments: TestDatabase.all
    )
    func pairwiseSubjectStaysPairwise(database: TestDatabase) async throws {
        try await withOpenID(database) { openID in
            let client = try await Registration.register(
                openID.http,
                ["subject_type": "pairwise", "redirect_uris": ["https://photos.example.com/cb"]]
            )
            let (_, idToken, access) = try await openID.idToken(for: client.flowClient)
            let pairwise = try #require(idToken.claims["sub"] as? String)
            #expect(pairwise != openID.user.id)
            #expect(try jwtSegments(access).payload["sub"] as? String == pairwise)
            for caller in [client.flowClient, openID.flow.adminClient] {
                let json = try await openID.flow.introspect(access, caller: caller).json()
                #expect(json["active"] as? Bool == true, "\(json)")
                #expect(json["sub"] as? String == pairwise, "introspection must not reveal the internal user id: \(json)")
            }
            let internalAnswer = try await Self.internalIntrospect(openID.flow, access, authorization: client.flowClient.authorization)
            #expect(try internalAnswer.data()["user_id"] as? String == pairwise, "\(internalAnswer.text)")
        }
    }
}
