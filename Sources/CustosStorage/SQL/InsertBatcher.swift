import CustosCore
import Synchronization

/// Group commit for one table's inserts: callers that arrive while a write is in flight are
/// written together by the next one, as a single multi-row INSERT — one statement, one
/// commit, one trip to the database for all of them.
///
/// Durability is unchanged: a caller returns only once its rows are committed (a token is
/// handed out only when it can be revoked after a crash). Each caller's rows stay atomic: if a
/// combined statement fails, every caller's rows are retried as their own statement, so one
/// caller's bad row fails that caller alone.
///
/// Why: with one SQLite writer, a request's insert costs a lock hand-off and two thread hops
/// around a few microseconds of SQLite work; under load the writer, not the CPU, was the limit.
final class InsertBatcher: Sendable {
    private struct Waiter {
        let rows: [[SQLValue]]
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var pending: [Waiter] = []
        var flushing = false
    }

    private let database: any SQLDatabase
    /// `INSERT INTO table (a, b, c) VALUES`; the placeholders are appended per row.
    private let prefix: String
    private let columns: Int
    /// Rows per statement, well under SQLite's limit of 32,766 bound values.
    private let maximumRows: Int
    private let state = Mutex(State())

    init(database: any SQLDatabase, table: String, columns: [String], maximumRows: Int = 500) {
        self.database = database
        self.prefix = "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES "
        self.columns = columns.count
        self.maximumRows = maximumRows
    }

    func insert(_ rows: [[SQLValue]]) async throws {
        precondition(rows.allSatisfy { $0.count == columns }, "a row does not match the columns")
        guard !rows.isEmpty else { return }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let startsFlush = state.withLock { state in
                state.pending.append(Waiter(rows: rows, continuation: continuation))
                if state.flushing { return false }
                state.flushing = true
                return true
            }
            if startsFlush { Task { await self.flush() } }
        }
    }

    /// Writes batches until nobody is waiting.
    private func flush() async {
        while true {
            let batch: [Waiter] = state.withLock { state in
                var taken: [Waiter] = []
                var rows = 0
                while let next = state.pending.first, taken.isEmpty || rows + next.rows.count <= maximumRows {
                    taken.append(state.pending.removeFirst())
                    rows += next.rows.count
                }
                if taken.isEmpty { state.flushing = false }
                return taken
            }
            if batch.isEmpty { return }
            do {
                try await write(batch.flatMap(\.rows))
                for waiter in batch { waiter.continuation.resume() }
            } catch let error where batch.count == 1 || error is StorageUnavailable {
                // Nothing to isolate: one caller, or a database that is away for everyone
                // (retrying each caller would make each wait for the deadline again).
                for waiter in batch { waiter.continuation.resume(throwing: error) }
            } catch {
                for waiter in batch {
                    do {
                        try await write(waiter.rows)
                        waiter.continuation.resume()
                    } catch {
                        waiter.continuation.resume(throwing: error)
                    }
                }
            }
        }
    }

    private func write(_ rows: [[SQLValue]]) async throws {
        let row = "(" + Array(repeating: "?", count: columns).joined(separator: ", ") + ")"
        let sql = prefix + Array(repeating: row, count: rows.count).joined(separator: ", ")
        try await database.query(sql, rows.flatMap { $0 })
    }
}
