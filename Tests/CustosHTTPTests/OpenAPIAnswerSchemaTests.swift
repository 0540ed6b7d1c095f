import CustosCore
import CustosTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The other half of `OpenAPIDocumentTests`: the routes match, and here every documented 2xx
/// JSON answer matches what the server really encodes. One scenario calls each such operation
/// once, with the data a client would have, and every answer is checked against the schema the
/// served document gives for its path, method and status (`JSONSchemaCheck`: member names,
/// types, required members, no undocumented members). The set of operations sampled must equal
/// the set documented, so a new documented answer needs a sample here.
@Suite("OpenAPI document: answers")
struct OpenAPIAnswerSchemaTests {
    /// One answer the server gave, filed under the document's path template.
    struct Sample {
        let method: String
        let template: String
        let response: TestResponse
    }

    final class SampleLog: @unchecked Sendable {
        private(set) var samples: [Sample] = []

        /// Records the answer and hands it back, failing the test unless it is a 2xx.
        @discardableResult
        func record(
            _ method: HTTPRequest.Method,
            _ template: String,
            _ response: TestResponse,
            sourceLocation: SourceLocation = #_sourceLocation
        ) throws -> TestResponse {
            try #require(
                (200..<300).contains(response.status.code),
                "\(method) \(template): \(response.status) \(response.text)",
                sourceLocation: sourceLocation
            )
            samples.append(Sample(method: method.rawValue.lowercased(), template: template, response: response))
            return response
        }
    }

    @Test("when each documented operation with a 2xx JSON answer is called then the answer matches its documented schema")
    func answersMatchTheDocument() async throws {
        let log = SampleLog()
        let documentBytes = try await withFlow(.sqlite) { flow in
            try await Self.sampleEveryOperation(flow, log)
        }
        let document = try JSONValue.parse(documentBytes)
        let check = JSONSchemaCheck(document: document)
        var sampled = Set<String>()
        for sample in log.samples {
            let operation = "\(sample.method.uppercased()) \(sample.template)"
            sampled.insert(operation)
            let status = String(sample.response.status.code)
            let schema = try #require(
                Self.answerSchema(in: document, path: sample.template, method: sample.method, status: status),
                "\(operation) \(status): the document gives no JSON schema for this answer"
            )
            let body = try JSONValue.parse(sample.response.body.readableBytesView)
            let problems = check.problems(body, against: schema)
            #expect(problems.isEmpty, "\(operation) \(status):\n\(problems.joined(separator: "\n"))")
        }
        let documented = Self.documentedJSONAnswers(in: document)
        #expect(documented.subtracting(sampled).sorted() == [], "documented answers without a sample")
        #expect(documented.count > 30, "the document lists \(documented.count) JSON answers")
    }

    /// The schema of `paths[path][method].responses[status]`'s JSON content, `$ref`s to
    /// `components/responses` followed.
    static func answerSchema(in document: JSONValue, path: String, method: String, status: String) -> JSONValue? {
        guard var answer = document["paths"]?[path]?[method]?["responses"]?[status] else { return nil }
        if let reference = answer["$ref"]?.string, let name = reference.split(separator: "/").last {
            guard let target = document["components"]?["responses"]?[String(name)] else { return nil }
            answer = target
        }
        guard case .object(let content) = answer["content"] else { return nil }
        return content.first { $0.key.contains("json") }?.value["schema"]
    }

    /// Every `METHOD path` whose 2xx answer the document describes as JSON.
    static func documentedJSONAnswers(in document: JSONValue) -> Set<String> {
        guard case .object(let paths) = document["paths"] else { return [] }
        var operations = Set<String>()
        for (path, item) in paths {
            guard case .object(let methods) = item else { continue }
            for (method, operation) in methods {
                guard case .object(let responses) = operation["responses"] else { continue }
                for status in responses.keys where status.hasPrefix("2") {
                    if answerSchema(in: document, path: path, method: method, status: status) != nil {
                        operations.insert("\(method.uppercased()) \(path)")
                    }
                }
            }
        }
        return operations
    }

    /// Calls each operation once, in an order that makes the data the next one needs; returns
    /// the served document.
    static func sampleEveryOperation(_ flow: FlowContext, _ log: SampleLog) async throws -> [UInt8] {
        let http = flow.http
        let adminToken = try await http.adminToken()
        func admin(_ method: HTTPRequest.Method, _ path: String, json: Any? = nil) async throws -> TestResponse {
            try await http.admin(method, path, token: adminToken, json: json)
        }
        func get(_ uri: String, headers: HTTPFields = [:]) async throws -> TestResponse {
            try await http.execute(uri: uri, method: .get, headers: headers, body: nil)
        }
        let clients = "\(api)/admin/oauth/clients"
        let users = "\(api)/admin/users"

        // Operations and discovery.
        let served = try log.record(.get, "\(api)/docs/openapi.json", try await get("\(api)/docs/openapi.json"))
        try log.record(.get, "/.well-known/jwks.json", try await get("/.well-known/jwks.json"))
        try log.record(.get, "/.well-known/oauth-authorization-server", try await get("/.well-known/oauth-authorization-server"))
        try log.record(.get, "/.well-known/openid-configuration", try await get("/.well-known/openid-configuration"))

        // Admin: signing keys.
        try log.record(.get, "\(api)/admin/keys", try await admin(.get, "/keys"))
        try log.record(.post, "\(api)/admin/keys/rotate", try await admin(.post, "/keys/rotate", json: ["algorithm": "ES256"]))

        // Admin: clients, their secrets, tokens, statistics and audit.
        let created = try log.record(
            .post,
            clients,
            try await admin(
                .post,
                "/oauth/clients",
                json: [
                    "name": "Sampled", "redirect_uris": [Flow.redirectURI], "scopes": Flow.scopes,
                    "grant_types": ["authorization_code", "refresh_token", "client_credentials"], "website": "https://app.example.com",
                    // Members without a contract field appear under their wire names once set.
                    "contacts": ["ops@example.com"], "default_max_age": 300,
                ]
            )
        )
        let clientID = try #require(try created.data()["client_id"] as? String)
        let secret = try #require(try created.data()["client_secret"] as? String)
        let client = FlowClient(clientID: clientID, secret: secret, redirectURI: Flow.redirectURI)
        try log.record(.get, clients, try await admin(.get, "/oauth/clients"))
        try log.record(.get, "\(clients)/{client_id}", try await admin(.get, "/oauth/clients/\(clientID)"))
        try log.record(.put, "\(clients)/{client_id}", try await admin(.put, "/oauth/clients/\(clientID)", json: ["name": "Sampled again"]))
        try log.record(.post, "\(clients)/{client_id}/clone", try await admin(.post, "/oauth/clients/\(clientID)/clone"))
        let added = try log.record(
            .post,
            "\(clients)/{client_id}/secrets",
            try await admin(.post, "/oauth/clients/\(clientID)/secrets", json: ["description": "added"])
        )
        let addedID = try #require(try added.data()["secret_id"] as? String)
        try log.record(.get, "\(clients)/{client_id}/secrets", try await admin(.get, "/oauth/clients/\(clientID)/secrets"))
        try log.record(
            .put,
            "\(clients)/{client_id}/secrets/{secret_id}/deactivate",
            try await admin(.put, "/oauth/clients/\(clientID)/secrets/\(addedID)/deactivate")
        )
        let rotated = try log.record(
            .post,
            "\(clients)/{client_id}/rotate-secret",
            try await admin(.post, "/oauth/clients/\(clientID)/rotate-secret")
        )
        let newSecret = try #require(try rotated.data()["new_secret"] as? String)
        let live = FlowClient(clientID: clientID, secret: newSecret, redirectURI: Flow.redirectURI)

        try log.record(
            .post,
            "\(api)/oauth/pushed-authorization",
            try await PushedAuthorizationTests.push(flow, PushedAuthorizationTests.fields(live), as: live)
        )
        // The code flow, so the client has tokens to list, introspect and refresh.
        let code = try await flow.code(for: live, scope: "openid profile email offline_access")
        let tokens = try log.record(.post, "\(api)/oauth/token", try await flow.redeem(code, client: live))
        let accessToken = try #require(try tokens.json()["access_token"] as? String)
        let refreshToken = try #require(try tokens.json()["refresh_token"] as? String)
        try log.record(.post, "\(api)/oauth/introspect", try await flow.introspect(accessToken, caller: live))
        try log.record(
            .post,
            "\(api)/internal/oauth/introspect",
            try await http.execute(
                uri: Flow.internalIntrospectPath,
                method: .post,
                headers: [.contentType: "application/json", .authorization: try #require(flow.adminClient.authorization)],
                body: ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: ["token": accessToken]))
            )
        )
        try log.record(
            .post,
            "\(api)/oauth/refresh",
            try await http.execute(
                uri: Flow.refreshPath,
                method: .post,
                headers: [.contentType: "application/json", .authorization: try #require(live.authorization)],
                body: ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: ["refresh_token": refreshToken]))
            )
        )
        try log.record(.get, "\(api)/oauth/userinfo", try await get(OpenID.userInfoPath, headers: [.authorization: "Bearer \(accessToken)"]))
        try log.record(
            .post,
            "\(api)/oauth/userinfo",
            try await http.execute(
                uri: OpenID.userInfoPath,
                method: .post,
                headers: [.authorization: "Bearer \(accessToken)", .contentType: OAuthEndpointKit.formType],
                body: ByteBuffer(string: "")
            )
        )
        try log.record(.get, "\(clients)/{client_id}/tokens", try await admin(.get, "/oauth/clients/\(clientID)/tokens"))
        try log.record(.get, "\(clients)/{client_id}/stats", try await admin(.get, "/oauth/clients/\(clientID)/stats"))
        try log.record(.get, "\(clients)/{client_id}/audit-logs", try await admin(.get, "/oauth/clients/\(clientID)/audit-logs"))

        // The account API and the JSON variant of authorize: a first-party app's account token.
        let account = try await flow.makeClient(["first_party": true, "scopes": ["openid", "account"]], name: "Account")
        let session = try #require(try await flow.server.server.sessions.resume(cookie: flow.sessionCookie)?.session)
        let accountToken = try await flow.server.accountToken(clientID: account.clientID, user: flow.user, session: session)
        try log.record(
            .post,
            "\(api)/oauth/authorize",
            try await AuthorizationBoundaryTests.authorizeJSON(
                http,
                AuthorizationBoundaryTests.requestBody(for: live, approved: true),
                bearer: accountToken
            )
        )
        try log.record(.get, "\(api)/oauth/consents", try await get("\(api)/oauth/consents", headers: [.authorization: "Bearer \(accountToken)"]))
        try log.record(.get, "\(api)/oauth/client/{client_id}", try await get("\(api)/oauth/client/\(clientID)"))

        // Dynamic registration (RFC 7591, RFC 7592) and its admin-issued tokens.
        try log.record(
            .post,
            "\(api)/admin/oauth/registration-tokens",
            try await admin(.post, "/oauth/registration-tokens", json: ["scopes": ["openid"], "expires_in": 600, "max_uses": 1])
        )
        try log.record(.get, "\(api)/admin/oauth/registration-tokens", try await admin(.get, "/oauth/registration-tokens"))
        let registered = try log.record(.post, "\(api)/oauth/register", try await Registration.post(http))
        let registration = try registered.json()
        let managementURI = try #require(registration["registration_client_uri"] as? String)
        let managementPath = try #require(URLComponents(string: managementURI)?.path)
        let managementToken = try #require(registration["registration_access_token"] as? String)
        try log.record(
            .get,
            "\(api)/oauth/register/{client_id}",
            try await Registration.manage(http, .get, managementPath, token: managementToken)
        )
        var update = Registration.metadata()
        update["client_id"] = registration["client_id"]
        try log.record(
            .put,
            "\(api)/oauth/register/{client_id}",
            try await Registration.manage(http, .put, managementPath, token: managementToken, json: update)
        )

        // Admin: users.
        let user = try log.record(
            .post,
            users,
            try await admin(.post, "/users", json: ["username": "bob", "email": "bob@example.com", "password": goodPassword])
        )
        let userID = try #require(try user.data()["id"] as? String)
        try log.record(.get, users, try await admin(.get, "/users"))
        try log.record(.get, "\(users)/{user_id}", try await admin(.get, "/users/\(userID)"))
        try log.record(.put, "\(users)/{user_id}", try await admin(.put, "/users/\(userID)", json: ["name": "Bob"]))
        try log.record(.post, "\(users)/{user_id}/disable", try await admin(.post, "/users/\(userID)/disable"))
        try log.record(.post, "\(users)/{user_id}/enable", try await admin(.post, "/users/\(userID)/enable"))

        // Revocation in bulk, last: it ends the tokens the calls above used.
        try log.record(.delete, "\(api)/admin/oauth/tokens/user/{user_id}", try await admin(.delete, "/oauth/tokens/user/\(flow.user.id)"))
        try log.record(.delete, "\(clients)/{client_id}/tokens", try await admin(.delete, "/oauth/clients/\(clientID)/tokens"))
        return Array(served.body.readableBytesView)
    }
}
