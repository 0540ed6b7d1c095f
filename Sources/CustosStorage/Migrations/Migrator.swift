import Foundation

/// Applies pending migrations in order, each in its own transaction with its record in
/// `custos_migrations`. On PostgreSQL an advisory lock makes nodes that start together take
/// turns; on SQLite the transaction's write lock does the same.
struct Migrator: Sendable {
    static let all: [Migration] = [
        Migration0001Foundation.migration, Migration0002Users.migration, Migration0003AuthorizationCodes.migration,
        Migration0004RequestedClaims.migration,
        Migration0005RateLimits.migration,
        Migration0006AuthorizationBoundaries.migration,
        Migration0007RegistrationTokens.migration,
        Migration0008TokenAttributes.migration,
        Migration0009ClientMetadata.migration,
        Migration0010PushedAuthorizationRequests.migration,
        Migration0011AuthorizationCodeDPoPKey.migration,
        Migration0012AuthorizationCodeDetails.migration,
    ]
    private static let advisoryLockKey = 7_305_001

    let database: any SQLDatabase

    /// Applies every pending migration up to and including `lastID` (all of them by default;
    /// tests stop early to write data the way an older version did).
    func migrate(through lastID: Int = .max) async throws {
        let dialect = database.dialect
        // Even CREATE TABLE IF NOT EXISTS races on PostgreSQL (two nodes can both pass the
        // check), so the bookkeeping table is created under the same advisory lock.
        try await database.unboundedTransaction { executor in
            if dialect == .postgres {
                try await executor.query("SELECT pg_advisory_xact_lock(?)", .int(Int64(Self.advisoryLockKey)))
            }
            try await executor.query(
                "CREATE TABLE IF NOT EXISTS custos_migrations (id BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
                []
            )
        }
        for migration in Self.all where migration.id <= lastID {
            try await database.unboundedTransaction { executor in
                if dialect == .postgres {
                    try await executor.query("SELECT pg_advisory_xact_lock(?)", .int(Int64(Self.advisoryLockKey)))
                }
                let applied = try await executor.query("SELECT id FROM custos_migrations WHERE id = ?", .int(Int64(migration.id)))
                guard applied.isEmpty else { return }
                for statement in migration.statements(for: dialect) {
                    try await executor.query(statement, [])
                }
                try await executor.query(
                    "INSERT INTO custos_migrations (id, name, applied_at) VALUES (?, ?, ?)",
                    .int(Int64(migration.id)),
                    .text(migration.name),
                    SQLValue(Date())
                )
            }
        }
    }
}
