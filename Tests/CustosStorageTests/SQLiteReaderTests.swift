import CustosCore
import CustosStorage
import Foundation
import Logging
import Testing

/// A SQLite database file reads single SELECTs on reader connections (WAL) while writes go
/// through the one writer: every write committed before a read starts is visible to it.
@Suite("SQLite file: reader connections")
struct SQLiteReaderTests {
    typealias F = StorageFixtures

    @Test("when clients are written and read back at once on a database file then each read after its insert finds the client")
    func readYourWrites() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("custos-readers-\(ULID.make())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let storage = try await StorageLocation.sqliteFile(folder.appendingPathComponent("custos.db").path).open(logger: Logger(label: "test"))
        try await storage.migrate()
        let found = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<40 {
                group.addTask {
                    let client = F.client(clientID: "reader-\(index)")
                    try await storage.insert(client, secrets: [], audit: F.audit("client.create", target: client))
                    return try await storage.client(clientID: client.clientID, tenant: .default)?.id == client.id
                }
            }
            return try await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
        }
        #expect(found == 40)
        let page = try await storage.clients(tenant: .default, nameContains: nil, status: nil, page: PageRequest(page: 1, pageSize: 100))
        #expect(page.total == 40)
        try await storage.close()
    }
}
