import CustosCore
import CustosTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// RFC 6749 §5.2: `error_description` holds only %x20-21 / %x23-5B / %x5D-7E, even when it
/// quotes what the client sent (found by schemathesis: quotes and non-ASCII names were echoed).
@Suite("OAuth errors: error_description characters")
struct ErrorDescriptionTests {
    static func conforms(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { (0x20...0x21).contains($0.value) || (0x23...0x5B).contains($0.value) || (0x5D...0x7E).contains($0.value) }
    }

    @Test("when a description quotes a value with quotes, backslashes and Unicode then only allowed characters remain")
    func sanitizes() {
        #expect(OAuthError.wireDescription(#"grant "pass\word" é"#) == "grant 'pass?word' ?")
        #expect(Self.conforms(OAuthError.wireDescription("tab\there\nnewline \u{7F} \u{1F600}")))
    }

    @Test(
        "when the token endpoint refuses an unknown grant type or a repeated Unicode parameter then error_description conforms",
        arguments: TestDatabase.all
    )
    func tokenEndpoint(database: TestDatabase) async throws {
        let server = try await TestServer.make(database)
        try await OAuthEndpointKit.insertClient(server, clientID: "app", secret: "custos_cs_error-description-secret-0123456789")
        try await server.run { http async throws in
            let authorization = OAuthEndpointKit.basic("app", "custos_cs_error-description-secret-0123456789")
            for body in [
                "grant_type=pass%22word", "grant_type=client_credentials&%C3%A9=1&%C3%A9=2", "grant_type=client_credentials&scope=%22nope%22",
            ] {
                let response = try await OAuthEndpointKit.post(http, body: body, authorization: authorization)
                #expect(response.status == .badRequest, "\(body): \(response.status)")
                let description = try #require((try? response.json())?["error_description"] as? String, "\(body): \(response.text)")
                #expect(Self.conforms(description), "\(body): \(description)")
            }
        }
    }
}
