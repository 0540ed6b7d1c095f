import Foundation

/// An RFC 7591 §2 registration request (OpenID Connect Registration §2 names included):
/// the members decoded into `ClientMetadata` (its `.registration` wire form), which of them
/// the request carried (RFC 7592 §2.2: an omitted one takes its default), and the two RFC
/// members Custos keeps in another form.
public struct RegistrationMetadata: Sendable, Equatable, Decodable {
    public var metadata: ClientMetadata
    /// The wire names of the members present and not null.
    public var members: Set<String>
    /// RFC 7591's one method; `ClientMetadata` holds a list.
    public var tokenEndpointAuthMethod: String?
    /// Custos supports `code` alone (OAuth 2.1), so nothing stores the list.
    public var responseTypes: [String]?
    /// RFC 7592 §2.2: a replacement names the client it replaces (a non-string is ignored).
    public var clientID: String?
    /// `fapi_profile`, a Custos member: a registrant may hold its client to a FAPI profile
    /// (never out of one an administrator set); the validator refuses a value it does not keep.
    public var fapiProfile: String?

    public init(metadata: ClientMetadata = ClientMetadata(), members: Set<String> = []) {
        self.metadata = metadata
        self.members = members
    }

    private struct RegistrationOnlyKeys: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Decode with a `JSONDecoder` whose `userInfo[ClientMetadata.wireFormKey]` is
    /// `.registration` (`RegistrationMetadata.decode(from:)` sets it).
    public init(from decoder: any Decoder) throws {
        metadata = try ClientMetadata(from: decoder)
        let container = try decoder.container(keyedBy: RegistrationOnlyKeys.self)
        members = Set(try container.allKeys.filter { try !container.decodeNil(forKey: $0) }.map(\.stringValue))
        tokenEndpointAuthMethod = try container.decodeIfPresent(String.self, forKey: .init(stringValue: "token_endpoint_auth_method"))
        responseTypes = try container.decodeIfPresent([String].self, forKey: .init(stringValue: "response_types"))
        clientID = try? container.decodeIfPresent(String.self, forKey: .init(stringValue: "client_id"))
        fapiProfile = try container.decodeIfPresent(String.self, forKey: .init(stringValue: ClientMetadata.CodingKeys.fapiProfile.rawValue))
    }

    /// Decodes a registration request body (JSON already checked well-formed).
    public static func decode(from data: Data) throws -> RegistrationMetadata {
        let decoder = JSONDecoder()
        decoder.userInfo[ClientMetadata.wireFormKey] = ClientMetadata.WireForm.registration
        return try decoder.decode(RegistrationMetadata.self, from: data)
    }

    /// Whether the request carried `key` (a null member counts as absent).
    public func carries(_ key: ClientMetadata.CodingKeys) -> Bool { members.contains(key.rawValue) }
}
