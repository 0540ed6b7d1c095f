import CustosCore
import Logging
import NIOCore
import SQLiteNIO

/// SQLite through sqlite-nio (which bundles SQLite itself). One connection in WAL mode: SQLite
/// allows one writer at a time anyway, and the `AsyncLock` keeps each transaction's statements
/// together. `synchronous=NORMAL` in WAL mode survives a killed process without losing a
/// committed transaction; only a power cut can take the last few.
public final class SQLiteBackend: SQLDatabase {
    public let dialect = SQLDialect.sqlite
    private let connection: SQLiteConnection
    private let lock = AsyncLock()

    /// - Parameter path: a file path, or nil for a private in-memory database (tests).
    public static func open(path: String?, logger: Logger) async throws -> SQLiteBackend {
        let connection = try await SQLiteConnection.open(storage: path.map { .file(path: $0) } ?? .memory, logger: logger)
        let backend = SQLiteBackend(connection: connection)
        if path != nil {
            _ = try await connection.query("PRAGMA journal_mode=WAL")
            _ = try await connection.query("PRAGMA synchronous=NORMAL")
        }
        _ = try await connection.query("PRAGMA busy_timeout=5000")
        _ = try await connection.query("PRAGMA foreign_keys=ON")
        return backend
    }

    private init(connection: SQLiteConnection) {
        self.connection = connection
    }

    @discardableResult
    public func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        try await lock.withLock { try await self.run(sql, binds) }
    }

    public func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLExecutor) async throws -> T) async throws -> T {
        try await lock.withLock {
            // IMMEDIATE takes the write lock up front, so a second process (the CLI) waits on
            // busy_timeout instead of failing on a lock upgrade halfway through.
            _ = try await self.run("BEGIN IMMEDIATE", [])
            do {
                let result = try await body(Unlocked(backend: self))
                _ = try await self.run("COMMIT", [])
                return result
            } catch {
                _ = try? await self.run("ROLLBACK", [])
                throw error
            }
        }
    }

    /// SQLite bounds no transaction in time (its busy timeout bounds the wait for the lock).
    public func unboundedTransaction<T: Sendable>(_ body: @escaping @Sendable (any SQLExecutor) async throws -> T) async throws -> T {
        try await transaction(body)
    }

    public func close() async throws {
        try await connection.close()
    }

    fileprivate func run(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        let data: [SQLiteData] = binds.map {
            switch $0 {
            case .null: .null
            case .int(let value): .integer(Int(value))
            case .text(let value): .text(value)
            }
        }
        do {
            return try await connection.query(sql, data).map { row in
                var values: [String: SQLValue] = [:]
                for column in row.columns {
                    switch column.data {
                    case .integer(let value): values[column.name] = .int(Int64(value))
                    case .text(let value): values[column.name] = .text(value)
                    case .float(let value): values[column.name] = .int(Int64(value))
                    case .blob(let buffer): values[column.name] = .text(String(buffer: buffer))
                    case .null: values[column.name] = .null
                    }
                }
                return SQLRow(values: values)
            }
        } catch let error as SQLiteError {
            switch error.reason {
            case .constraint, .constraintUniqueFailed, .constraintPrimaryKeyFailed:
                throw StorageConflict(error.message)
            case .busy, .locked:
                throw StorageUnavailable("the database is busy")
            default:
                throw error
            }
        }
    }

    /// The executor handed to a transaction body: the lock is already held.
    private struct Unlocked: SQLExecutor {
        let backend: SQLiteBackend
        @discardableResult
        func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
            try await backend.run(sql, binds)
        }
    }
}
