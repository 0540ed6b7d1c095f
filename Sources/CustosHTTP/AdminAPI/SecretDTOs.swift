import CustosCore
import Foundation

/// `dto.OAuthClientSecretResponse`: a secret's metadata, never its value (`last_four` only).
struct SecretItem: Encodable {
    let secret: ClientSecretRecord

    enum CodingKeys: String, CodingKey {
        case description, status
        case secretID = "secret_id"
        case lastFour = "last_four"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case expiresAt = "expires_at"
        case lastUsedAt = "last_used_at"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(secret.id, forKey: .secretID)
        try container.encode(secret.status.rawValue, forKey: .status)
        try container.encode(secret.description, forKey: .description)
        try container.encode(secret.lastFour, forKey: .lastFour)
        try container.encode(Timestamp.string(secret.createdAt), forKey: .createdAt)
        try container.encode(Timestamp.string(secret.updatedAt), forKey: .updatedAt)
        try container.encode(Timestamp.string(secret.expiresAt), forKey: .expiresAt)
        try container.encode(Timestamp.string(secret.lastUsedAt), forKey: .lastUsedAt)
    }
}

struct SecretList: Encodable {
    let secrets: [SecretItem]
}

/// `dto.CreateClientSecretResponse`: the value, this once.
struct CreatedSecretResponse: Encodable {
    let secretID: String
    let secretValue: String
    let status: String
    let createdAt: String

    enum CodingKeys: String, CodingKey {
        case status
        case secretID = "secret_id"
        case secretValue = "secret_value"
        case createdAt = "created_at"
    }

    init(_ issued: IssuedSecret) {
        secretID = issued.record.id
        secretValue = issued.value
        status = issued.record.status.rawValue
        createdAt = Timestamp.string(issued.record.createdAt)
    }
}

/// `dto.RotateSecretResponse`.
struct RotatedSecretResponse: Encodable {
    let clientID: String
    let newSecret: String
    let rotatedAt: String

    enum CodingKeys: String, CodingKey {
        case clientID = "client_id"
        case newSecret = "new_secret"
        case rotatedAt = "rotated_at"
    }
}

/// Optional body of `POST …/secrets`.
struct AddSecretBody: Decodable {
    var description: String?
}
