/// Runs one statement. Statements are written with `?` placeholders; each backend adapts them.
public protocol SQLExecutor: Sendable {
    @discardableResult
    func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow]
}

extension SQLExecutor {
    @discardableResult
    func query(_ sql: String, _ binds: SQLValue...) async throws -> [SQLRow] {
        try await query(sql, binds)
    }
}

public enum SQLDialect: Sendable {
    case sqlite
    case postgres
}

/// A database connection (or pool) that can also run a group of statements atomically.
public protocol SQLDatabase: SQLExecutor {
    var dialect: SQLDialect { get }
    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLExecutor) async throws -> T) async throws -> T
    /// `transaction` without the time limit a backend puts on request work: for schema
    /// migrations, which may rightly take long (an index over a large table).
    func unboundedTransaction<T: Sendable>(_ body: @escaping @Sendable (any SQLExecutor) async throws -> T) async throws -> T
    func close() async throws
}
