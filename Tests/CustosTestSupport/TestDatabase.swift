import CustosCore
import CustosStorage
import Foundation
import Logging

/// The backends every storage-dependent test runs against: SQLite in memory always, and
/// PostgreSQL when `CUSTOS_TEST_POSTGRES_URL` names a server (scripts/test starts one).
/// Each call of `makeStorage` gives a fresh, isolated, migrated database.
public enum TestDatabase: String, Sendable, CustomStringConvertible, CaseIterable {
    case sqlite
    case postgres

    public static var postgresURL: String? {
        ProcessInfo.processInfo.environment["CUSTOS_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    public static var all: [TestDatabase] {
        postgresURL == nil ? [.sqlite] : [.sqlite, .postgres]
    }

    public var description: String { rawValue }

    public func makeStorage(logger: Logger = Logger(label: "test")) async throws -> SQLStorage {
        let storage: SQLStorage
        switch self {
        case .sqlite:
            storage = try await StorageLocation.sqliteMemory.open(logger: logger)
        case .postgres:
            guard let url = Self.postgresURL else { throw MissingPostgres() }
            // One schema per test: isolation without the cost of a database per test.
            let schema = "t_" + ULID.make().lowercased()
            let admin = try await StorageLocation.postgres(url + Self.separator(url) + "pool_size=1&request_timeout=120").open(logger: logger)
            try await admin.execute("CREATE SCHEMA \(schema)")
            try await admin.close()
            storage = try await StorageLocation.postgres(url + Self.separator(url) + "search_path=\(schema)&pool_size=2&request_timeout=120")
                .open(logger: logger)
        }
        try await storage.migrate()
        return storage
    }

    static func separator(_ url: String) -> String { url.contains("?") ? "&" : "?" }

    public struct MissingPostgres: Error {}
}
