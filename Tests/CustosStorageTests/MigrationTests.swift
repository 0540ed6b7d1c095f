import CustosCore
import CustosTestSupport
import Foundation
import Testing

@testable import CustosStorage

@Suite("Migrations")
struct MigrationTests {
    typealias F = StorageFixtures

    static func appliedMigrations(_ storage: SQLStorage) async throws -> [Int64] {
        try await storage.database.query("SELECT id FROM custos_migrations ORDER BY id", []).map { try $0.int("id") }
    }

    /// Opens `count` storages (pools) on one fresh, unmigrated PostgreSQL schema, as `count` nodes would.
    static func freshPostgresNodes(count: Int) async throws -> [SQLStorage] {
        let logger = LogCapture().logger()
        let url = try #require(TestDatabase.postgresURL)
        let separator = url.contains("?") ? "&" : "?"
        let schema = "m_" + ULID.make().lowercased()
        // A long request timeout, as in TestDatabase: this test is about migrations racing, and on
        // a loaded machine eight pools connecting at once can take longer than the default 5 s.
        let admin = try await StorageLocation.postgres(url + separator + "pool_size=1&request_timeout=120").open(logger: logger)
        try await admin.execute("CREATE SCHEMA \(schema)")
        try await admin.close()
        var storages: [SQLStorage] = []
        for _ in 0..<count {
            let storage = try await StorageLocation.postgres(url + separator + "search_path=\(schema)&pool_size=2&request_timeout=120").open(
                logger: logger
            )
            // Connect now, so that the nodes' first statements really run at the same moment.
            try await storage.database.query("SELECT 1 AS n", [])
            storages.append(storage)
        }
        return storages
    }

    /// Runs `custos migrate` on `path` in `count` processes at once (SQLite nodes are processes
    /// sharing a file) and returns their exit codes and output.
    static func migrateInProcesses(sqlitePath path: String, count: Int) throws -> [(status: Int32, output: String)] {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("custos")
        try #require(FileManager.default.isExecutableFile(atPath: executable.path), "the custos executable is not built at \(executable.path)")
        let runs = (0..<count).map { _ -> (Process, Pipe) in
            let process = Process()
            let pipe = Pipe()
            process.executableURL = executable
            process.arguments = ["migrate", "--database", "sqlite:\(path)"]
            process.standardOutput = pipe
            process.standardError = pipe
            return (process, pipe)
        }
        for (process, _) in runs { try process.run() }
        return runs.map { process, pipe in
            let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return (process.terminationStatus, output)
        }
    }

    @Test("when migrate runs again on a migrated database then it is a no-op that keeps the data", arguments: TestDatabase.all)
    func idempotent(database: TestDatabase) async throws {
        try await F.withStorage(database) { storage async throws in
            let applied = try await Self.appliedMigrations(storage)
            #expect(applied == Array(1...Int64(applied.count)) && !applied.isEmpty)
            let (client, _) = try await F.insertClient(storage)
            try await storage.migrate()
            try await storage.migrate()
            #expect(try await Self.appliedMigrations(storage) == applied)
            #expect(try await storage.client(clientID: client.clientID, tenant: .default) == client)
        }
    }

    @Test("when migrate is called concurrently on one storage then every call succeeds", arguments: TestDatabase.all)
    func concurrentOnOneStorage(database: TestDatabase) async throws {
        try await F.withStorage(database) { storage async throws in
            let before = try await Self.appliedMigrations(storage)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<4 { group.addTask { try await storage.migrate() } }
                try await group.waitForAll()
            }
            #expect(try await Self.appliedMigrations(storage) == before)
        }
    }

    @Test("when several SQLite processes migrate one fresh file at the same time then all succeed")
    func concurrentFirstMigrationSQLite() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("custos-migrate-\(ULID.make()).db").path
        let results = try Self.migrateInProcesses(sqlitePath: path, count: 4)
        for result in results {
            #expect(result.status == 0, "custos migrate failed: \(result.output)")
        }
        let storage = try await StorageLocation.sqliteFile(path).open(logger: LogCapture().logger())
        let applied = try await Self.appliedMigrations(storage)
        #expect(!applied.isEmpty && applied == Array(1...Int64(max(applied.count, 1))))
        try await storage.close()
    }

    @Test(
        "when several PostgreSQL nodes migrate one fresh schema at the same time then all succeed and each step is applied once",
        .enabled(if: TestDatabase.postgresURL != nil, "needs CUSTOS_TEST_POSTGRES_URL")
    )
    func concurrentFirstMigrationPostgres() async throws {
        let storages = try await Self.freshPostgresNodes(count: 8)
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for storage in storages { group.addTask { try await storage.migrate() } }
                try await group.waitForAll()
            }
            let applied = try await Self.appliedMigrations(storages[0])
            #expect(!applied.isEmpty && applied == Array(1...Int64(max(applied.count, 1))))
            // The schema works from every node.
            let (client, _) = try await F.insertClient(storages[0])
            #expect(try await storages[7].client(clientID: client.clientID, tenant: .default)?.name == client.name)
        } catch {
            for storage in storages { try? await storage.close() }
            throw error
        }
        for storage in storages { try await storage.close() }
    }
}
