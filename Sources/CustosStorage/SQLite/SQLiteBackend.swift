import CustosCore
import Logging
import NIOCore
import SQLiteNIO
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SQLite through sqlite-nio (which bundles SQLite itself), in WAL mode. One writer
/// connection: SQLite allows one writer at a time anyway, and the `AsyncLock` keeps each
/// transaction's statements together. `synchronous=NORMAL` in WAL mode survives a killed
/// process without losing a committed transaction; only a power cut can take the last few.
///
/// A database file also gets reader connections for single SELECT statements outside a
/// transaction: in WAL mode they read the last committed state without waiting for the
/// writer, so the token endpoint's reads do not queue behind its writes. (An in-memory
/// database is private to its connection and has the writer only.)
public final class SQLiteBackend: SQLDatabase {
    public let dialect = SQLDialect.sqlite
    private let connection: SQLiteConnection
    private let lock = AsyncLock()
    private let readers: [Reader]
    private let nextReader = Atomic<Int>(0)

    private struct Reader: Sendable {
        let connection: SQLiteConnection
        let lock = AsyncLock()
    }

    /// Reader connections of a database file.
    static let readerCount = 4

    /// - Parameter path: a file path, or nil for a private in-memory database (tests).
    public static func open(path: String?, logger: Logger) async throws -> SQLiteBackend {
        if let path { try createPrivately(path) }
        let connection = try await SQLiteConnection.open(storage: path.map { .file(path: $0) } ?? .memory, logger: logger)
        if path != nil {
            _ = try await connection.query("PRAGMA journal_mode=WAL")
            _ = try await connection.query("PRAGMA synchronous=NORMAL")
        }
        _ = try await connection.query("PRAGMA busy_timeout=5000")
        _ = try await connection.query("PRAGMA foreign_keys=ON")
        var readers: [Reader] = []
        if let path {
            for _ in 0..<readerCount {
                let reader = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
                _ = try await reader.query("PRAGMA busy_timeout=5000")
                _ = try await reader.query("PRAGMA query_only=1")
                readers.append(Reader(connection: reader))
            }
        }
        return SQLiteBackend(connection: connection, readers: readers)
    }

    /// Creates a missing database file with mode 0600 before SQLite opens it: SQLite would
    /// create it 0644 (less the umask), readable by every local user, and it holds sealed
    /// keys, secret digests and personal data. SQLite gives the `-wal` and `-shm` files the
    /// database file's mode, so they are private too. An existing file is left as it is.
    static func createPrivately(_ path: String) throws {
        let descriptor = createExclusively(path, mode: 0o600)
        if descriptor >= 0 {
            fchmod(descriptor, 0o600)
            closeDescriptor(descriptor)
        } else if errno != EEXIST {
            throw SQLiteFileError(path: path, reason: String(cString: strerror(errno)))
        }
    }

    private init(connection: SQLiteConnection, readers: [Reader]) {
        self.connection = connection
        self.readers = readers
    }

    /// A statement a reader may run: one that starts with SELECT (writes with RETURNING start
    /// with INSERT, UPDATE or DELETE).
    static func isRead(_ sql: String) -> Bool {
        let trimmed = sql.utf8.drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\t") }
        return trimmed.starts(with: "SELECT".utf8) || trimmed.starts(with: "select".utf8)
    }

    @discardableResult
    public func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        if !readers.isEmpty, Self.isRead(sql) {
            let reader = readers[nextReader.wrappingAdd(1, ordering: .relaxed).oldValue % readers.count]
            return try await reader.lock.withLock { try await Self.run(sql, binds, on: reader.connection) }
        }
        return try await lock.withLock { try await self.run(sql, binds) }
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
        for reader in readers { try await reader.connection.close() }
        try await connection.close()
    }

    fileprivate func run(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        try await Self.run(sql, binds, on: connection)
    }

    private static func run(_ sql: String, _ binds: [SQLValue], on connection: SQLiteConnection) async throws -> [SQLRow] {
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

/// The database file could not be created.
public struct SQLiteFileError: Error, CustomStringConvertible {
    public let path: String
    public let reason: String
    public var description: String { "cannot create the database file \(path): \(reason)" }
}

/// `open(2)` with `O_CREAT | O_EXCL` (outside `SQLiteBackend`, whose `open` would shadow it).
private func createExclusively(_ path: String, mode: mode_t) -> Int32 {
    open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
}

private func closeDescriptor(_ descriptor: Int32) {
    _ = close(descriptor)
}
