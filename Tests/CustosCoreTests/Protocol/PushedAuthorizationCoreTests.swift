import CustosCore
import CustosTestSupport
import Foundation
import Testing

/// `PushedAuthorization` and the pushed branch of `AuthorizationEndpoint.authorize` through
/// `CoreHarness`, without HTTP: what is kept, and that a request_uri yields one authorization.
@Suite("Core protocol: pushed authorization requests (RFC 9126)")
struct PushedAuthorizationCoreTests {
    static func parameters(_ client: CreatedClient) -> [String: String] {
        [
            "response_type": "code", "client_id": client.client.clientID, "redirect_uri": CoreProtocolTests.redirectURI,
            "scope": "openid profile", "state": "s-par", "code_challenge": CoreProtocolTests.challenge, "code_challenge_method": "S256",
            "dpop_jkt": "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I",
        ]
    }

    @Test(
        "when a request is pushed and the user is not signed in then the pending request holds exactly the pushed parameters, dpop_jkt included",
        arguments: TestDatabase.all
    )
    func pendingKeepsPushedParameters(database: TestDatabase) async throws {
        try await CoreHarness.with(database) { harness in
            let created = try await CoreProtocolTests.webClient(harness)
            let client = try await harness.authenticate(created)
            let pushed = try await harness.server.pushedAuthorization.push(Self.parameters(created), client: client)
            #expect(pushed.requestURI.hasPrefix(PushedAuthorization.requestURIPrefix))
            #expect(pushed.expiresIn == 60)
            let outcome = try await harness.authorize(
                ["client_id": created.client.clientID, "request_uri": pushed.requestURI, "state": "from-query", "scope": "openid"],
                session: nil
            )
            guard case .signIn(let handle?, _) = outcome else {
                Issue.record("expected a sign-in, got \(outcome)")
                return
            }
            let pending = try await harness.server.storage.pendingAuthorization(
                digest: AuthorizationEndpoint.digest(handle),
                tenant: harness.server.configuration.tenant,
                now: harness.clock.now
            )
            #expect(pending?.parameters == Self.parameters(created))
        }
    }

    @Test("when two authorization requests race with one request_uri then exactly one is authorized", arguments: TestDatabase.all)
    func raceForOneRequestURI(database: TestDatabase) async throws {
        try await CoreHarness.with(database) { harness in
            let created = try await CoreProtocolTests.webClient(harness)
            let client = try await harness.authenticate(created)
            let signedIn = try await harness.signIn()
            _ = try await harness.server.consents.grant(userID: signedIn.user.id, clientID: created.client.clientID, scopes: ["openid", "profile"])
            let pushed = try await harness.server.pushedAuthorization.push(Self.parameters(created), client: client)
            let request = ["client_id": created.client.clientID, "request_uri": pushed.requestURI]
            let codes = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<6 {
                    group.addTask {
                        if case .code = try await harness.authorize(request, session: signedIn) { return true }
                        return false
                    }
                }
                return try await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
            }
            #expect(codes == 1)
        }
    }

    @Test("when the pushed parameters name another client_id or a request_uri then the push is refused", arguments: [TestDatabase.sqlite])
    func refusedAtPush(database: TestDatabase) async throws {
        try await CoreHarness.with(database) { harness in
            let created = try await CoreProtocolTests.webClient(harness)
            let client = try await harness.authenticate(created)
            var foreign = Self.parameters(created)
            foreign["client_id"] = "cl_someone_else"
            await CoreProtocolTests.expectOAuthError(.invalidRequest) {
                try await harness.server.pushedAuthorization.push(foreign, client: client)
            }
            var nested = Self.parameters(created)
            nested["request_uri"] = PushedAuthorization.requestURIPrefix + "x"
            await CoreProtocolTests.expectOAuthError(.invalidRequest) {
                try await harness.server.pushedAuthorization.push(nested, client: client)
            }
        }
    }
}
