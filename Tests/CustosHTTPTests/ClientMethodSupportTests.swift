import CustosCore
import CustosTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// What the server supports follows from what it can verify and exchange (issue #12 item 2):
/// discovery lists `ClientAuthenticator.supportedMethods`, and registration (admin API and
/// RFC 7591) refuses an authentication method no verifier proves and a grant type no handler
/// exchanges. Since mutual TLS (issue #13) every `ClientAuthenticationMethod` has a verifier.
@Suite("Client method support")
struct ClientMethodSupportTests {
    @Test("discovery's token, revocation and introspection auth methods are the authenticator's supported methods")
    func discoveryFollowsRegistry() async throws {
        let server = try await TestServer.make(.sqlite)
        let supported = server.server.clientAuthenticator.supportedMethods.map(\.rawValue)
        try await server.run { http in
            let response = try await http.execute(uri: "/.well-known/openid-configuration", method: .get, headers: [:], body: nil)
            let document = try response.json()
            #expect(document["token_endpoint_auth_methods_supported"] as? [String] == supported)
            #expect(document["revocation_endpoint_auth_methods_supported"] as? [String] == supported)
            #expect(document["introspection_endpoint_auth_methods_supported"] as? [String] == supported.filter { $0 != "none" })
            #expect(supported.contains("tls_client_auth") && supported.contains("self_signed_tls_client_auth"))
        }
    }

    @Test(
        "when an administrator registers a method no verifier supports or an unexchangeable grant then it is refused naming the field",
        arguments: TestDatabase.all
    )
    func adminRefuses(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            for grant in [GrantType.deviceCode, .tokenExchange, .jwtBearer].map(\.rawValue) {
                try await admin.expectCreateRejected(clientBody(["grant_types": [grant]]), naming: ["grant_types"], grant)
            }
        }
    }

    @Test(
        "when dynamic registration asks for tls_client_auth or an unexchangeable grant then it is 400 invalid_client_metadata",
        arguments: TestDatabase.all
    )
    func dynamicRegistrationRefuses(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let before = try await admin.clientTotal()
            let grant = GrantType.deviceCode.rawValue
            let response = try await Registration.post(admin.http, Registration.metadata(["grant_types": ["authorization_code", grant]]))
            expectRegistrationError(response, error: "invalid_client_metadata", grant)
            #expect(try await admin.clientTotal() == before)
        }
    }

    @Test("when a FAPI client registers client_secret_basic then the refusal names the FAPI methods this server verifies")
    func fapiMessage() throws {
        let validator = ClientMetadataValidator(scopes: ScopeRegistry(), supportedAuthMethods: ClientAuthenticator.standardMethods)
        #expect {
            _ = try validator.validate(
                ClientRegistrationRequest(
                    name: "FAPI",
                    redirectURIs: ["https://app.example.com/cb"],
                    clientAuthMethods: ["client_secret_basic"],
                    fapiProfile: "fapi2"
                ),
                existing: nil
            )
        } throws: { error in
            guard case .invalidField(let field, let message) = error as? AdminError else { return false }
            return field == "client_auth_methods" && message.hasSuffix("use private_key_jwt or tls_client_auth or self_signed_tls_client_auth")
        }
    }
}
