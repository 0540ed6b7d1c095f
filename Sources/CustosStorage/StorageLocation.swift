import CustosCore
import Logging

/// Where the data lives, from the `--database` option: `sqlite:PATH`, `sqlite::memory:`, or
/// a `postgres://` URL.
public enum StorageLocation: Sendable, Equatable {
    case sqliteFile(String)
    case sqliteMemory
    case postgres(String)

    public init?(_ text: String) {
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            self = .postgres(text)
        } else if text == "sqlite::memory:" {
            self = .sqliteMemory
        } else if text.hasPrefix("sqlite:"), text.count > 7 {
            self = .sqliteFile(String(text.dropFirst(7)))
        } else {
            return nil
        }
    }

    public func open(logger: Logger) async throws -> SQLStorage {
        switch self {
        case .sqliteFile(let path): SQLStorage(database: try await SQLiteBackend.open(path: path, logger: logger))
        case .sqliteMemory: SQLStorage(database: try await SQLiteBackend.open(path: nil, logger: logger))
        case .postgres(let url): SQLStorage(database: try PostgresBackend.open(url: url, logger: logger))
        }
    }
}
