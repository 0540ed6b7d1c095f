import CustosCore
import Foundation

/// The one implementation of Custos's store protocols, over any `SQLDatabase`. The queries
/// are portable SQL, so SQLite and PostgreSQL share them and one contract suite tests both;
/// where the dialects differ (row locks) the statement asks `dialect`.
public final class SQLStorage: Storage {
    let database: any SQLDatabase
    let tokenInserts: InsertBatcher

    public init(database: any SQLDatabase) {
        self.database = database
        self.tokenInserts = InsertBatcher(database: database, table: "oauth_tokens", columns: Self.tokenColumns)
    }

    public func migrate() async throws {
        try await Migrator(database: database).migrate()
    }

    public func close() async throws {
        try await database.close()
    }

    /// Runs one statement as is: for operators' tools and tests (e.g. creating a schema).
    public func execute(_ sql: String) async throws {
        try await database.query(sql, [])
    }

    /// `FOR UPDATE` on PostgreSQL, where concurrent transactions must queue on a row;
    /// nothing on SQLite, whose transactions already hold the database's write lock.
    var forUpdate: String { database.dialect == .postgres ? " FOR UPDATE" : "" }

    /// `FOR SHARE` on PostgreSQL: holds a row against `FOR UPDATE` and writers, not against other readers.
    var forShare: String { database.dialect == .postgres ? " FOR SHARE" : "" }

    static func insertAudit(_ event: AuditEvent, into executor: any SQLExecutor) async throws {
        try await executor.query(
            """
            INSERT INTO audit_logs (id, tenant_id, module, action, target_type, target_id, operator_type, operator_id, ip,
                level, status, message, changed_fields, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            .text(event.id),
            .text(event.tenant.rawValue),
            .text(event.module),
            .text(event.action),
            .text(event.targetType),
            .text(event.targetID),
            .text(event.actor.type),
            .text(event.actor.id),
            .text(event.actor.ip),
            .text(event.level),
            SQLValue(event.status),
            .text(event.message),
            try .json(event.changedFields),
            SQLValue(event.createdAt)
        )
    }

    static func count(_ rows: [SQLRow]) throws -> Int {
        guard let row = rows.first else { return 0 }
        return Int(try row.int("n"))
    }
}
