import CustosCore
import CustosStorage
import Foundation
import Logging
import Testing

/// Rule 11: the database holds sealed keys, secret digests and personal data, so a new
/// database file, its `-wal` and its `-shm` are readable by the server's user only.
@Suite("SQLite file: permissions")
struct SQLiteFileModeTests {
    static func mode(_ path: String) throws -> Int? {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue
    }

    @Test("when a new SQLite database is created and written then the database, -wal and -shm files have mode 0600")
    func newDatabaseIsPrivate() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("custos-modes-\(ULID.make())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("custos.db").path
        // The most permissive umask a shell could have: the modes must not depend on it.
        let previous = umask(0)
        defer { umask(previous) }
        let storage = try await StorageLocation.sqliteFile(path).open(logger: Logger(label: "test"))
        try await storage.migrate()
        _ = try await storage.client(clientID: "nobody", tenant: .default)
        for file in [path, path + "-wal", path + "-shm"] {
            #expect(FileManager.default.fileExists(atPath: file), "\(file) should exist while the database is open")
            let mode = try Self.mode(file) ?? 0
            #expect(mode == 0o600, "\(file): \(String(mode, radix: 8))")
        }
        try await storage.close()
    }
}
