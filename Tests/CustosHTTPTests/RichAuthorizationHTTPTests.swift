import CustosCore
import CustosTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Rich authorization requests (RFC 9396) over HTTP: the consent page shows the details
/// (escaped), PAR takes them as a form string or a JSON array, discovery lists the operator's
/// and the clients' types, and the admin API and dynamic registration check
/// `authorization_details_types`.
@Suite("HTTP: rich authorization requests (RFC 9396)")
struct RichAuthorizationHTTPTests {
    static let details =
        #"[{"type":"account_information","actions":["read_balances","list_accounts"],"locations":["https://bank.example/accounts"],"datatypes":["balance"],"identifier":"<b>acc & co</b>"}]"#
    static var types: [String: Any] { ["authorization_details_types": ["account_information"]] }

    @Test(
        "when a request carries authorization_details then the consent page shows each detail escaped, and approving it yields a code whose tokens carry them",
        arguments: TestDatabase.all
    )
    func consentPage(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient(Self.types)
            // A stored consent to the scopes does not cover a transaction's details.
            try await flow.consent(client)
            let browser = TestBrowser(flow.http)
            browser.setCookie(BrowserCookieName.session, flow.sessionCookie)
            let path = try await ConsentPageTests.consentPath(browser, client, scope: "openid", extra: [("authorization_details", Self.details)])
            let page = try await browser.get(path)
            #expect(page.status == .ok)
            let html = page.text
            #expect(html.contains("account_information"))
            #expect(html.contains("Actions: read_balances, list_accounts"))
            #expect(html.contains("Locations: https://bank.example/accounts"))
            #expect(html.contains("Data types: balance"))
            #expect(html.contains("Identifier: &lt;b&gt;acc &amp; co&lt;/b&gt;"), "\(html)")
            #expect(!html.contains("<b>acc"), "the identifier must be escaped")
            let decided = try await ConsentPageTests.decide(browser, path, decision: "approve")
            #expect(decided.status == .seeOther, "\(decided.text)")
            let resumed = try await browser.get(try #require(decided.location))
            let code = try #require(RedirectQuery(resumed.location)?["code"], "\(resumed.status) \(resumed.location ?? resumed.text)")
            let tokens = try await flow.redeem(code, client: client)
            #expect(tokens.status == .ok, "\(tokens.text)")
            let granted = try #require(try tokens.json()["authorization_details"] as? [[String: Any]])
            #expect(granted.first?["type"] as? String == "account_information")
            #expect(granted.first?["identifier"] as? String == "<b>acc & co</b>")
            let claims = try jwtSegments(try #require(try tokens.json()["access_token"] as? String)).payload
            #expect((claims["authorization_details"] as? [[String: Any]])?.first?["actions"] as? [String] == ["read_balances", "list_accounts"])
        }
    }

    @Test(
        "when details are pushed as a form string or as a JSON array then 201, and an unregistered type is a 400 invalid_authorization_details",
        arguments: TestDatabase.all
    )
    func pushed(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let client = try await flow.makeClient(Self.types.merging(["client_auth_methods": ["client_secret_post"]]) { $1 })
            let form = PushedAuthorizationTests.fields(client) + [("client_secret", client.secret ?? ""), ("authorization_details", Self.details)]
            let pushedForm = try await flow.http.execute(
                uri: PushedAuthorizationTests.path,
                method: .post,
                headers: [.contentType: OAuthEndpointKit.formType],
                body: ByteBuffer(string: FormEncoding.encode(form))
            )
            #expect(pushedForm.status == .created, "\(pushedForm.text)")
            var body = Dictionary(PushedAuthorizationTests.fields(client), uniquingKeysWith: { $1 }) as [String: Any]
            body["client_secret"] = client.secret
            body["authorization_details"] = try JSONSerialization.jsonObject(with: Data(Self.details.utf8))
            func pushJSON(_ body: [String: Any]) async throws -> TestResponse {
                try await flow.http.execute(
                    uri: PushedAuthorizationTests.path,
                    method: .post,
                    headers: [.contentType: "application/json"],
                    body: ByteBuffer(bytes: Array(try JSONSerialization.data(withJSONObject: body)))
                )
            }
            let pushedJSON = try await pushJSON(body)
            #expect(pushedJSON.status == .created, "\(pushedJSON.text)")
            body["authorization_details"] = [["type": "payment_initiation"]]
            PushedAuthorizationTests.expectError(try await pushJSON(body), .badRequest, "invalid_authorization_details", "unregistered type")
        }
    }

    @Test(
        "when discovery is read then authorization_details_types_supported lists the operator's types and the clients' types, sorted",
        arguments: TestDatabase.all
    )
    func discovery(database: TestDatabase) async throws {
        try await withFlow(database, configure: { $0.authorizationDetailsTypes = ["tax_filing"] }) { flow in
            _ = try await flow.makeClient(["authorization_details_types": ["payment_initiation", "account_information"]])
            let document = try await DiscoveryAndJWKSTests.get(flow.http, DiscoveryAndJWKSTests.discoveryPaths[0]).json()
            #expect(document["authorization_details_types_supported"] as? [String] == ["account_information", "payment_initiation", "tax_filing"])
        }
    }

    @Test(
        "when the admin API gets authorization_details_types that are not distinct non-empty strings, or more than 32, then 400 naming the field",
        arguments: TestDatabase.all
    )
    func adminValidation(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let field = "authorization_details_types"
            try await admin.expectCreateRejected(clientBody([field: ["a", "a"]]), naming: [field], "repeated")
            try await admin.expectCreateRejected(clientBody([field: [""]]), naming: ["\(field)[0]"], "empty")
            try await admin.expectCreateRejected(clientBody([field: ["ok", "has space"]]), naming: ["\(field)[1]"], "space")
            try await admin.expectCreateRejected(clientBody([field: (0..<33).map { "t\($0)" }]), naming: [field], "33 types")
            try await admin.expectCreateRejected(clientBody([field: "account_information"]), naming: [field], "not an array")
            let created = try await admin.create(clientBody([field: ["account_information"]]))
            let id = try #require(created["client_id"] as? String)
            #expect(try await admin.client(id)[field] as? [String] == ["account_information"])
        }
    }

    @Test(
        "when dynamic registration gets a bad authorization_details_types then 400 invalid_client_metadata, and a good one is kept",
        arguments: TestDatabase.all
    )
    func registration(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let refused = try await Registration.post(admin.http, Registration.metadata(["authorization_details_types": ["x", "x"]]))
            expectRegistrationError(refused, error: "invalid_client_metadata", "repeated type")
            let accepted = try await Registration.post(admin.http, Registration.metadata(["authorization_details_types": ["account_information"]]))
            #expect(accepted.status == .created, "\(accepted.text)")
            #expect(try accepted.json()["authorization_details_types"] as? [String] == ["account_information"])
        }
    }

    @Test(
        "when a first-party app sends authorization_details as a JSON array with approved true then the code carries them, and unapproved it is consent_required",
        arguments: TestDatabase.all
    )
    func firstPartyJSON(database: TestDatabase) async throws {
        try await withFlow(database) { flow in
            let target = try await flow.makeClient(Self.types)
            // A stored consent to the scopes does not cover the details: only the decision does.
            try await flow.consent(target)
            let firstParty = try await flow.makeClient(["first_party": true, "scopes": ["openid", "account"]], name: "Account")
            let session = try #require(try await flow.server.server.sessions.resume(cookie: flow.sessionCookie)?.session)
            let token = try await flow.server.accountToken(clientID: firstParty.clientID, user: flow.user, session: session)
            var body = AuthorizationBoundaryTests.requestBody(for: target, approved: nil)
            body["authorization_details"] = try JSONSerialization.jsonObject(with: Data(Self.details.utf8))
            let undecided = try await AuthorizationBoundaryTests.authorizeJSON(flow.http, body, bearer: token)
            #expect(undecided.status == .badRequest && undecided.string("error") == "consent_required", "\(undecided.text)")
            body["approved"] = true
            let response = try await AuthorizationBoundaryTests.authorizeJSON(flow.http, body, bearer: token)
            #expect(response.status == .ok, "\(response.text)")
            let code = try #require(response.string("code"))
            let stored = try #require(try await flow.server.server.storage.code(digest: AuthorizationEndpoint.digest(code), tenant: .default))
            #expect(stored.authorizationDetails == (try AuthorizationDetails.parse(Self.details).get()))
            // The swagger's JSON refresh takes the array too, and narrows but never widens.
            let tokens = try await flow.redeem(code, client: target, redirectURI: .some(nil))
            let refreshToken = try #require(try tokens.json()["refresh_token"] as? String, "\(tokens.text)")
            func refresh(_ details: [[String: Any]]) async throws -> TestResponse {
                var headers: HTTPFields = [.contentType: "application/json"]
                headers[.authorization] = target.authorization
                let body: [String: Any] = ["refresh_token": refreshToken, "authorization_details": details]
                return try await flow.http.execute(
                    uri: Flow.refreshPath,
                    method: .post,
                    headers: headers,
                    body: ByteBuffer(bytes: Array(try JSONSerialization.data(withJSONObject: body)))
                )
            }
            var narrower = try #require((try JSONSerialization.jsonObject(with: Data(Self.details.utf8)) as? [[String: Any]])?.first)
            narrower["actions"] = ["read_balances"]
            let narrowed = try await refresh([narrower])
            #expect(narrowed.status == .ok, "\(narrowed.text)")
            #expect((try narrowed.json()["authorization_details"] as? [[String: Any]])?.first?["actions"] as? [String] == ["read_balances"])
            let widened = try await refresh([["type": "account_information", "actions": ["transfer"]]])
            #expect(widened.status == .badRequest && widened.string("error") == "invalid_authorization_details", "\(widened.text)")
        }
    }
}
