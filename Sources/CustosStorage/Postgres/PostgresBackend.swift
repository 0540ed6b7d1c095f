import CustosCore
import Logging
import NIOCore
import PostgresNIO

/// PostgreSQL through postgres-nio's connection pool. Many Custos nodes can share one
/// database: every rule that must hold across nodes (single-use codes, jti replay, the
/// bootstrap claim) is a single atomic statement or a transaction here.
public final class PostgresBackend: SQLDatabase {
    public let dialect = SQLDialect.postgres
    private let client: PostgresClient
    private let runner: Task<Void, Never>
    private let logger: Logger

    /// Opens a pool for a URL of the form `postgres://user:password@host:port/database`.
    public static func open(url: String, logger: Logger) throws -> PostgresBackend {
        guard let configuration = PostgresURL.configuration(from: url) else {
            throw PostgresURL.Invalid()
        }
        return PostgresBackend(configuration: configuration, logger: logger)
    }

    init(configuration: PostgresClient.Configuration, logger: Logger) {
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        self.logger = logger
        // The pool runs for as long as the backend lives; `close` cancels it.
        self.runner = Task { await client.run() }
    }

    @discardableResult
    public func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        try await Self.mapErrors {
            try await Self.collect(try await self.client.query(Self.postgresQuery(sql, binds), logger: self.logger))
        }
    }

    public func transaction<T: Sendable>(_ body: @Sendable (any SQLExecutor) async throws -> T) async throws -> T {
        try await Self.mapErrors {
            try await self.client.withConnection { connection in
                let executor = ConnectionExecutor(connection: connection, logger: self.logger)
                try await executor.query("BEGIN", [])
                do {
                    let result = try await body(executor)
                    try await executor.query("COMMIT", [])
                    return result
                } catch {
                    _ = try? await executor.query("ROLLBACK", [])
                    throw error
                }
            }
        }
    }

    public func close() async throws {
        runner.cancel()
        _ = await runner.value
    }

    private struct ConnectionExecutor: SQLExecutor {
        let connection: PostgresConnection
        let logger: Logger
        @discardableResult
        func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
            try await PostgresBackend.mapErrors {
                try await PostgresBackend.collect(
                    try await connection.query(PostgresBackend.postgresQuery(sql, binds), logger: logger))
            }
        }
    }

    /// Rewrites `?` placeholders as `$1, $2, …` (no statement here has a `?` inside a literal).
    static func postgresQuery(_ sql: String, _ binds: [SQLValue]) -> PostgresQuery {
        var text = ""
        text.reserveCapacity(sql.utf8.count + binds.count * 2)
        var index = 0
        for character in sql {
            if character == "?" {
                index += 1
                text += "$\(index)"
            } else {
                text.append(character)
            }
        }
        var bindings = PostgresBindings(capacity: binds.count)
        for value in binds {
            switch value {
            case .null: bindings.appendNull()
            case .int(let number): bindings.append(number)
            case .text(let string): bindings.append(string)
            }
        }
        return PostgresQuery(unsafeSQL: text, binds: bindings)
    }

    static func collect(_ rows: PostgresRowSequence) async throws -> [SQLRow] {
        var result: [SQLRow] = []
        for try await row in rows {
            var values: [String: SQLValue] = [:]
            for cell in row {
                guard cell.bytes != nil else {
                    values[cell.columnName] = .null
                    continue
                }
                switch cell.dataType {
                case .int8: values[cell.columnName] = .int(try cell.decode(Int64.self))
                case .int4: values[cell.columnName] = .int(Int64(try cell.decode(Int32.self)))
                case .int2: values[cell.columnName] = .int(Int64(try cell.decode(Int16.self)))
                case .bool: values[cell.columnName] = .int(try cell.decode(Bool.self) ? 1 : 0)
                default: values[cell.columnName] = .text(try cell.decode(String.self))
                }
            }
            result.append(SQLRow(values: values))
        }
        return result
    }

    /// Unique violations become `StorageConflict`; losing the server becomes
    /// `StorageUnavailable`, which the HTTP layer answers with 503 and `Retry-After`.
    static func mapErrors<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as PSQLError {
            if error.code == .server {
                if error.serverInfo?[.sqlState] == PostgresError.Code.uniqueViolation.raw {
                    throw StorageConflict(error.serverInfo?[.message] ?? "unique violation")
                }
                throw error
            }
            throw StorageUnavailable("PostgreSQL is unavailable (\(error.code))")
        }
    }
}
