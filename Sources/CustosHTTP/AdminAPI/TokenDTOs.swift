import CustosCore
import Foundation

/// `dto.OAuthTokenItem`: what a token is, never its text; `cnf` (a Custos extension) says what a
/// sender-constrained token is bound to, so that an administrator sees which tokens are bearer.
struct TokenItem: Encodable {
    let id: String
    let tokenType: String
    let scope: String
    let userID: String
    let createdAt: String
    let expiresAt: String
    let cnf: Confirmation?

    enum CodingKeys: String, CodingKey {
        case id, scope, cnf
        case tokenType = "token_type"
        case userID = "user_id"
        case createdAt = "created_at"
        case expiresAt = "expires_at"
    }

    init(_ token: IssuedToken) {
        id = token.id
        tokenType = token.kind.rawValue
        scope = token.scope
        userID = token.userID ?? ""
        createdAt = Timestamp.string(token.createdAt)
        expiresAt = Timestamp.string(token.expiresAt)
        cnf = token.attributes.confirmation
    }
}

/// `dto.ClientStatsResponse`.
struct ClientStatsResponse: Encodable {
    let clientID: String
    let activeTokens: Int
    let activeRefreshTokens: Int
    let lastRequestAt: String

    enum CodingKeys: String, CodingKey {
        case clientID = "client_id"
        case activeTokens = "active_tokens"
        case activeRefreshTokens = "active_refresh_tokens"
        case lastRequestAt = "last_request_at"
    }
}

/// `dto.RevokeClientTokensResponse` and `dto.BatchRevokeUserTokensResponse`.
struct RevocationResponse: Encodable {
    let revokedAccessTokens: Int
    let revokedRefreshTokens: Int
    let gracePeriod: Int?

    enum CodingKeys: String, CodingKey {
        case revokedAccessTokens = "revoked_access_tokens"
        case revokedRefreshTokens = "revoked_refresh_tokens"
        case gracePeriod = "grace_period"
    }
}

/// `dto.OAuthAuditLogItem`, plus the names of the fields the change touched.
struct AuditItem: Encodable {
    let event: AuditEvent

    enum CodingKeys: String, CodingKey {
        case id, action, ip, level, message, module, status, timestamp
        case operatorID = "operator_id"
        case operatorType = "operator_type"
        case targetID = "target_id"
        case targetType = "target_type"
        case tenantID = "tenant_id"
        case changedFields = "changed_fields"
        case createdAt = "created_at"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(event.id, forKey: .id)
        try container.encode(event.action, forKey: .action)
        try container.encode(event.actor.ip, forKey: .ip)
        try container.encode(event.level, forKey: .level)
        try container.encode(event.message, forKey: .message)
        try container.encode(event.module, forKey: .module)
        try container.encode(event.actor.id, forKey: .operatorID)
        try container.encode(event.actor.type, forKey: .operatorType)
        try container.encode(event.status, forKey: .status)
        try container.encode(event.targetID, forKey: .targetID)
        try container.encode(event.targetType, forKey: .targetType)
        try container.encode(event.tenant.rawValue, forKey: .tenantID)
        try container.encode(Int64(event.createdAt.timeIntervalSince1970), forKey: .timestamp)
        try container.encode(Timestamp.string(event.createdAt), forKey: .createdAt)
        try container.encode(event.changedFields, forKey: .changedFields)
    }
}
