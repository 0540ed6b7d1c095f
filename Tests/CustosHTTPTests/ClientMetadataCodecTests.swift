import CustosCore
import CustosTestSupport
import Foundation
import Testing

@testable import CustosHTTP

@Suite("Client metadata codecs")
struct ClientMetadataCodecTests {
    static let full = ClientMetadataFixtures.everyFieldSet

    static func json(_ members: [String: JSONValue]) throws -> Data {
        try JSONResponse.encoder.encode(members)
    }

    @Test("when metadata with every field set goes through the admin codec and back then it is unchanged but for the token digest")
    func adminRoundTrip() throws {
        let members = try AdminClientCodec.members(Self.full)
        var expected = Self.full
        expected.registrationAccessTokenDigest = nil
        #expect(try AdminClientCodec.metadata(from: members) == expected)
        #expect(members["registration_access_token_digest"] == nil, "the digest is never shown")
    }

    @Test("when the admin codec encodes metadata then the contract's names and empty values appear")
    func adminNames() throws {
        let members = try AdminClientCodec.members(Self.full)
        #expect(members["name"] == .string("Every Field"))
        #expect(members["client_auth_methods"] == .array([.string("private_key_jwt"), .string("tls_client_auth")]))
        #expect(members["scopes"] == .array([.string("openid"), .string("profile"), .string("email")]))
        #expect(members["website"] == .string("https://app.example.com"))
        #expect(members["terms_url"] == .string("https://app.example.com/terms"))
        #expect(members["contacts"] == .array([.string("ops@example.com")]), "a member without an admin name keeps its wire name")
        for wireOnly in ["client_name", "token_endpoint_auth_methods", "scope", "client_uri", "tos_uri", "policy_uri", "logo_uri"] {
            #expect(members[wireOnly] == nil, "\(wireOnly) appears under its admin name")
        }
        let empty = try AdminClientCodec.members(ClientMetadata(name: "Empty"))
        #expect(empty["website"] == .string("") && empty["jwks"] == .string("") && empty["request_uris"] == .array([]))
        #expect(empty["is_resource_server"] == .bool(false) && empty["contacts"] == nil)
    }

    @Test("when metadata with every field set goes through the registration codec and back then every registration member is unchanged")
    func registrationRoundTrip() throws {
        let members = try RegistrationController.members(of: Self.full)
        for key in ClientMetadata.notRegistrationMembers where key != .fapiProfile {
            #expect(members[key.rawValue] == nil, "\(key.rawValue) is not registration metadata")
        }
        // Registration reads fapi_profile on its own and shows it once set.
        #expect(members["fapi_profile"] == .string("fapi2"))
        #expect(members["token_endpoint_auth_method"] == .string("private_key_jwt"))
        #expect(members["jwks"] == .object(["keys": .array([])]), "jwks is the RFC 7591 object")
        let decoded = try RegistrationMetadata.decode(from: try Self.json(members))
        var expected = Self.full
        let defaults = ClientMetadata()
        expected.isConfidential = defaults.isConfidential
        expected.corsOrigins = defaults.corsOrigins
        expected.fapiProfile = defaults.fapiProfile
        expected.accessTokenFormat = defaults.accessTokenFormat
        expected.isResourceServer = nil
        expected.registrationAccessTokenDigest = nil
        expected.authMethods = []
        #expect(decoded.metadata == expected)
        #expect(decoded.tokenEndpointAuthMethod == "private_key_jwt")
        #expect(decoded.responseTypes == ["code"])
        #expect(decoded.fapiProfile == "fapi2")
        #expect(decoded.carries(.name) && decoded.carries(.scopes) && !decoded.carries(.isResourceServer))
    }

    @Test("when a registration names an administrator's member or an unknown grant type then it is ignored or refused")
    func registrationStrictness() throws {
        let ignored = try RegistrationMetadata.decode(from: Data(#"{"is_resource_server":true,"fapi_profile":"fapi2","client_name":null}"#.utf8))
        #expect(ignored.metadata.isResourceServer == nil && ignored.metadata.fapiProfile == .none)
        #expect(ignored.fapiProfile == "fapi2", "fapi_profile is read apart from the metadata, for the validator to check")
        #expect(!ignored.carries(.name), "a null member counts as absent")
        #expect(throws: DecodingError.self) { try RegistrationMetadata.decode(from: Data(#"{"grant_types":["implicit"]}"#.utf8)) }
        #expect(throws: DecodingError.self) { try RegistrationMetadata.decode(from: Data(#"{"require_auth_time":1}"#.utf8)) }
        #expect(throws: DecodingError.self) { try RegistrationMetadata.decode(from: Data(#"{"jwks":"text"}"#.utf8)) }
        let stored = try JSONDecoder().decode(ClientMetadata.self, from: Data(#"{"grant_types":["implicit","refresh_token"]}"#.utf8))
        #expect(stored.grantTypes == [.refreshToken], "the stored form drops an unknown value")
    }
}
