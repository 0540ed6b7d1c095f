import CustosCore
import Foundation

/// `POST /admin/oauth/registration-tokens`: the policy of the registrations the token allows.
struct RegistrationTokenRequestBody: Decodable {
    var scopes: [String]?
    var grantTypes: [String]?
    var expiresIn: Int?
    var maxUses: Int?

    enum CodingKeys: String, CodingKey {
        case scopes
        case grantTypes = "grant_types"
        case expiresIn = "expires_in"
        case maxUses = "max_uses"
    }

    var request: RegistrationTokenManagement.Request {
        RegistrationTokenManagement.Request(scopes: scopes, grantTypes: grantTypes, expiresIn: expiresIn, maxUses: maxUses)
    }
}

/// A registration token as listed: its policy and counters, never the token.
struct RegistrationTokenItem: Encodable {
    let record: RegistrationToken
    /// Only in the create response.
    var token: String? = nil

    enum CodingKeys: String, CodingKey {
        case id, scopes, uses, token
        case grantTypes = "grant_types"
        case expiresAt = "expires_at"
        case maxUses = "max_uses"
        case createdAt = "created_at"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(record.id, forKey: .id)
        try container.encode(record.policy.scopes, forKey: .scopes)
        try container.encode(record.policy.grantTypes.map(\.rawValue), forKey: .grantTypes)
        try container.encode(Timestamp.string(record.expiresAt), forKey: .expiresAt)
        // null: unlimited until it expires.
        try container.encode(record.maxUses, forKey: .maxUses)
        try container.encode(record.uses, forKey: .uses)
        try container.encode(Timestamp.string(record.createdAt), forKey: .createdAt)
        if let token { try container.encode(token, forKey: .token) }
    }
}
