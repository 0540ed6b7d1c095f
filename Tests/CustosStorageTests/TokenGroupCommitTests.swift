import CustosCore
import CustosStorage
import CustosTestSupport
import Foundation
import Testing

/// Token records are group-committed (`InsertBatcher`): concurrent requests share one
/// multi-row INSERT, yet each request's tokens are stored before it returns, atomically, and a
/// bad record fails its own request only.
@Suite("Token records: group commit")
struct TokenGroupCommitTests {
    typealias F = StorageFixtures

    @Test(
        "when 60 requests record tokens at once, one of them with a duplicate id, then only that one fails and every other token is stored",
        arguments: TestDatabase.all
    )
    func concurrentWithOneBadRecord(database: TestDatabase) async throws {
        try await F.withStorage(database) { storage async throws in
            let (client, _) = try await F.insertClient(storage)
            let existing = F.token(for: client)
            try await storage.record([existing])
            let batches: [[IssuedToken]] = (0..<60).map { index in
                // Access and refresh token of one grant, as the code flow records them.
                let pair = [F.token(for: client), F.token(for: client, kind: .refreshToken)]
                return index == 17 ? [pair[0], existing] : pair
            }
            let outcomes = await withTaskGroup(of: (Int, Bool).self) { group in
                for (index, batch) in batches.enumerated() {
                    group.addTask { (index, (try? await storage.record(batch)) != nil) }
                }
                return await group.reduce(into: [Int: Bool]()) { $0[$1.0] = $1.1 }
            }
            #expect(outcomes.filter { !$0.value }.map(\.key) == [17], "failed: \(outcomes.filter { !$0.value }.map(\.key))")
            for (index, batch) in batches.enumerated() where index != 17 {
                for token in batch {
                    #expect(try await storage.token(id: token.id, tenant: .default)?.id == token.id, "request \(index) lost a token")
                }
            }
            // The failed request's other token was not stored: its records are atomic.
            #expect(try await storage.token(id: batches[17][0].id, tenant: .default) == nil)
        }
    }
}
