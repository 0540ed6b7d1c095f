import CustosCore
import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import Synchronization
import _ConnectionPoolModule

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
        return PostgresBackend(configuration: configuration, deadline: PostgresURL.requestTimeout(from: url), logger: logger)
    }

    init(configuration: PostgresClient.Configuration, deadline: Duration, logger: Logger) {
        self.deadline = deadline
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        self.logger = logger
        // The pool runs for as long as the backend lives; `close` cancels it.
        self.runner = Task { await client.run() }
    }

    @discardableResult
    public func query(_ sql: String, _ binds: [SQLValue]) async throws -> [SQLRow] {
        // A leased connection's query, not `PostgresClient.query`: with postgres-nio 1.33.2 the
        // latter kept about 1 KB per call (RSS grew without bound under read load; measured
        // with benchmarks/run --postgres, flat with this form).
        try await withDeadline {
            try await self.client.withConnection { connection in
                try await Self.collect(try await connection.query(Self.postgresQuery(sql, binds), logger: self.logger))
            }
        }
    }

    public func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLExecutor) async throws -> T) async throws -> T {
        try await withDeadline { try await self.unboundedTransaction(body) }
    }

    public func unboundedTransaction<T: Sendable>(_ body: @escaping @Sendable (any SQLExecutor) async throws -> T) async throws -> T {
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
                    try await connection.query(PostgresBackend.postgresQuery(sql, binds), logger: logger)
                )
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

    /// How long one statement or transaction may wait, for a connection included. When the
    /// server is gone the pool keeps trying to connect and would hold requests until its
    /// circuit breaker trips (15 s or more); a request answered 503 sooner is better for
    /// clients, which retry, and for this node, which keeps no pile of waiting requests.
    private let deadline: Duration

    /// Runs `body` with the errors mapped, failing with `StorageUnavailable` after `deadline`.
    /// Whatever the outcome, a caller told "unavailable" never received a result, so a write
    /// that committed late is at worst one the client was told to retry.
    ///
    /// Not a task group: a group waits for all its children, and a connection request stuck
    /// in the pool does not always give up at once when cancelled. Here the caller is answered
    /// at the deadline and the abandoned work is cancelled in the background.
    private func withDeadline<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let outcome = DeadlineOutcome<T>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                outcome.install(continuation)
                let work = Task {
                    do {
                        outcome.finish(.success(try await Self.mapErrors(body)))
                    } catch {
                        outcome.finish(.failure(error))
                    }
                }
                // An event-loop timer rather than a second task: it almost never fires, and
                // cancelling it costs no scheduling.
                let deadline = self.deadline
                let timer = MultiThreadedEventLoopGroup.singleton.any().scheduleTask(in: TimeAmount(deadline)) {
                    if outcome.finish(.failure(StorageUnavailable("PostgreSQL did not answer within \(deadline)"))) {
                        work.cancel()
                    }
                }
                outcome.onFinish { timer.cancel() }
                outcome.onCancel { work.cancel() }
            }
        } onCancel: {
            outcome.cancel()
        }
    }

    /// Unique violations become `StorageConflict`; losing the server (connection errors, the
    /// pool's circuit breaker, a server shutting down: SQLSTATE classes 08, 53, 57) becomes
    /// `StorageUnavailable`, which the HTTP layer answers with 503 and `Retry-After`.
    static func mapErrors<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as PSQLError {
            if error.code == .server {
                let state = error.serverInfo?[.sqlState] ?? ""
                if state == PostgresError.Code.uniqueViolation.raw {
                    throw StorageConflict(error.serverInfo?[.message] ?? "unique violation")
                }
                if ["08", "53", "57"].contains(String(state.prefix(2))) {
                    throw StorageUnavailable("PostgreSQL is unavailable (SQLSTATE \(state))")
                }
                throw error
            }
            throw StorageUnavailable("PostgreSQL is unavailable (\(error.code))")
        } catch let error as ConnectionPoolError {
            throw StorageUnavailable("PostgreSQL is unavailable (\(error))")
        }
    }
}

/// The first of "the work finished" and "the deadline passed" resumes the caller; the other is
/// ignored.
private final class DeadlineOutcome<T: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<T, any Error>?
        var finished = false
        var cancelled = false
        var onFinish: (@Sendable () -> Void)?
        var onCancel: (@Sendable () -> Void)?
    }
    private let state = Mutex(State())

    /// Called before the work and the timer start, so that neither can finish first.
    func install(_ continuation: CheckedContinuation<T, any Error>) {
        state.withLock { $0.continuation = continuation }
    }

    /// Resumes the caller with `result` unless it was already resumed; true when it was this call.
    @discardableResult
    func finish(_ result: Result<T, any Error>) -> Bool {
        let (won, continuation, callback): (Bool, CheckedContinuation<T, any Error>?, (@Sendable () -> Void)?) = state.withLock { state in
            guard !state.finished else { return (false, nil, nil) }
            state.finished = true
            let continuation = state.continuation
            let callback = state.onFinish
            // The callbacks hold the timer and the work task, whose closures hold this object:
            // dropping them here breaks that cycle (it leaked every outcome, rows included).
            state.continuation = nil
            state.onFinish = nil
            state.onCancel = nil
            return (true, continuation, callback)
        }
        continuation?.resume(with: result)
        callback?()
        return won
    }

    func onFinish(_ callback: @escaping @Sendable () -> Void) {
        let runNow = state.withLock { state in
            if state.finished { return true }
            state.onFinish = callback
            return false
        }
        if runNow { callback() }
    }

    func onCancel(_ callback: @escaping @Sendable () -> Void) {
        let runNow = state.withLock { state in
            if state.finished { return false }
            if state.cancelled { return true }
            state.onCancel = callback
            return false
        }
        if runNow { callback() }
    }

    func cancel() {
        let callback = state.withLock { state in
            state.cancelled = true
            return state.onCancel
        }
        callback?()
    }
}
