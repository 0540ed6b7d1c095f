import CustosCore
import CustosStorage
import CustosTestSupport
import Testing

@Suite("SettingsStore contract")
struct SettingsStoreContractTests {
    @Test("when a setting is claimed then only the first claim sets it and later claims keep its value", arguments: TestDatabase.all)
    func claimOnce(database: TestDatabase) async throws {
        try await StorageFixtures.withStorage(database) { storage async throws in
            #expect(try await storage.setting("bootstrap", tenant: .default) == nil)
            #expect(try await storage.claimSetting("bootstrap", value: "first", tenant: .default))
            #expect(!(try await storage.claimSetting("bootstrap", value: "second", tenant: .default)))
            #expect(try await storage.setting("bootstrap", tenant: .default) == "first")
        }
    }

    @Test("when settings differ by name or tenant then they are independent", arguments: TestDatabase.all)
    func independent(database: TestDatabase) async throws {
        try await StorageFixtures.withStorage(database) { storage async throws in
            let acme = TenantID(rawValue: "acme")
            #expect(try await storage.claimSetting("a", value: "1", tenant: .default))
            #expect(try await storage.claimSetting("b", value: "2", tenant: .default))
            #expect(try await storage.claimSetting("a", value: "3", tenant: acme))
            #expect(try await storage.setting("a", tenant: .default) == "1")
            #expect(try await storage.setting("b", tenant: .default) == "2")
            #expect(try await storage.setting("a", tenant: acme) == "3")
            #expect(try await storage.setting("b", tenant: acme) == nil)
        }
    }

    @Test("when 10 tasks claim the same setting at once then exactly one wins and its value is stored", arguments: TestDatabase.all)
    func concurrentClaims(database: TestDatabase) async throws {
        try await StorageFixtures.withStorage(database) { storage async throws in
            let results = try await withThrowingTaskGroup(of: (String, Bool).self) { group in
                for index in 0..<10 {
                    group.addTask { ("value-\(index)", try await storage.claimSetting("race", value: "value-\(index)", tenant: .default)) }
                }
                return try await group.reduce(into: [(String, Bool)]()) { $0.append($1) }
            }
            let winners = results.filter(\.1).map(\.0)
            #expect(winners.count == 1)
            #expect(try await storage.setting("race", tenant: .default) == winners.first)
        }
    }
}
