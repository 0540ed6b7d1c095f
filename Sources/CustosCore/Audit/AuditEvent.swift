import Foundation

/// One administrative change, as the audit log keeps it: who did what to which record, when,
/// and the names of the fields that changed. Never a secret's value.
public struct AuditEvent: Sendable, Equatable {
    public var id: String
    public var tenant: TenantID
    public var module: String
    public var action: String
    public var targetType: String
    public var targetID: String
    public var actor: AuditActor
    public var level: String
    public var status: Int
    public var message: String
    public var changedFields: [String]
    public var createdAt: Date

    public init(
        id: String = ULID.make(),
        tenant: TenantID,
        module: String = "oauth_client",
        action: String,
        targetType: String = "oauth_client",
        targetID: String,
        actor: AuditActor,
        level: String = "info",
        status: Int = 200,
        message: String,
        changedFields: [String] = [],
        createdAt: Date
    ) {
        self.id = id
        self.tenant = tenant
        self.module = module
        self.action = action
        self.targetType = targetType
        self.targetID = targetID
        self.actor = actor
        self.level = level
        self.status = status
        self.message = message
        self.changedFields = changedFields
        self.createdAt = createdAt
    }
}

/// Who made a change: an administrator's client (through an admin token), or the operator
/// through the command line or at bootstrap.
public struct AuditActor: Sendable, Equatable {
    public var type: String
    public var id: String
    public var ip: String

    public init(type: String, id: String, ip: String = "") {
        self.type = type
        self.id = id
        self.ip = ip
    }

    public static let system = AuditActor(type: "system", id: "custos")
}
