import CustosCore
import Foundation

/// The admin API's view of `ClientMetadata`: the encoded metadata with its members under the
/// admin contract's names (the one rename table, `AdminClientNames`), `scopes` as an array,
/// and the members the contract always carries shown with an empty value while unset. A
/// member added to `ClientMetadata` appears here under its wire name, absent while unset.
enum AdminClientCodec {
    /// Never shown: the registration access token's digest is a credential's fingerprint.
    static let hidden: [ClientMetadata.CodingKeys] = [.registrationAccessTokenDigest]

    /// What the admin contract shows for a member that is unset ("" rather than absent, so
    /// that the set of members is always the same).
    static let shownWhenUnset: [ClientMetadata.CodingKeys: JSONValue] = [
        .jwks: .string(""), .jwksURI: .string(""), .logoURL: .string(""), .privacyPolicy: .string(""), .termsURL: .string(""),
        .website: .string(""), .postLogoutRedirectURIs: .array([]), .isResourceServer: .bool(false),
        .requestObjectSigningAlg: .string(""), .requestURIs: .array([]), .requireSignedRequestObject: .bool(false),
    ]

    /// The metadata's members in admin names.
    static func members(_ metadata: ClientMetadata) throws -> [String: JSONValue] {
        var wire = try metadata.members()
        for key in hidden { wire[key.rawValue] = nil }
        for (key, value) in shownWhenUnset where wire[key.rawValue] == nil { wire[key.rawValue] = value }
        // RFC 7591's `scope` is one space-delimited string; the admin contract's `scopes` a list.
        wire[ClientMetadata.CodingKeys.scopes.rawValue] = .array(metadata.scopes.map(JSONValue.string))
        return Dictionary(uniqueKeysWithValues: wire.map { (AdminClientNames.adminName(for: $0.key), $0.value) })
    }

    /// The inverse of `members`: admin names back to wire names, then the stored form's
    /// decoding. An empty value the contract shows for an unset member reads as unset.
    static func metadata(from members: [String: JSONValue]) throws -> ClientMetadata {
        var wire = Dictionary(members.map { (AdminClientNames.wireName(for: $0.key), $0.value) }, uniquingKeysWith: { first, _ in first })
        let scope = ClientMetadata.CodingKeys.scopes.rawValue
        if case .array(let scopes)? = wire[scope] { wire[scope] = .string(scopes.compactMap(\.stringValue).joined(separator: " ")) }
        for (key, unset) in shownWhenUnset where wire[key.rawValue] == unset { wire[key.rawValue] = nil }
        return try JSONDecoder().decode(ClientMetadata.self, from: try JSONEncoder().encode(wire))
    }
}
