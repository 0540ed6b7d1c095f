import CustosCore
import CustosTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// `OAuthError.detail` (the error model's log-only field): a failed client authentication
/// answers the same whatever the reason, and the reason is written to the log for the operator.
@Suite("Client authentication: the reason is logged, not sent")
struct ClientAuthenticationDetailTests {
    static let secret = "custos_cs_detail-secret-0123456789abcdefgh"

    @Test(
        "when an unknown client and a wrong secret fail then both get the same 401 body and only the log tells them apart",
        arguments: TestDatabase.all
    )
    func reasonOnlyInTheLog(database: TestDatabase) async throws {
        let server = try await TestServer.make(database)
        try await OAuthEndpointKit.insertClient(server, clientID: "known-app", secret: Self.secret)
        try await server.run { http in
            let unknown = try await http.tokenRequest(clientID: "no-such-app", secret: Self.secret)
            let wrong = try await http.tokenRequest(clientID: "known-app", secret: Self.secret + "x")
            #expect(unknown.status == .unauthorized && wrong.status == .unauthorized)
            #expect(unknown.text == wrong.text, "the body must not tell an unknown client from a wrong secret")
            #expect(!unknown.text.contains("no-such-app") && !wrong.text.contains("matches none"))
            #expect(server.logs.text.contains("error.detail=no client \"no-such-app\""), "\(server.logs.text.suffix(2_000))")
            #expect(server.logs.text.contains("error.detail=the secret matches none of the client's active secrets"))
            #expect(!server.logs.text.contains(Self.secret), "a secret is never logged")
        }
    }
}
