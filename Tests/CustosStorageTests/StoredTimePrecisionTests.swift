import CustosCore
import CustosStorage
import CustosTestSupport
import Foundation
import Testing

/// Times are stored as whole milliseconds. A time must never read back later than it was
/// written: a token revoked at an instant would otherwise still look active at that instant.
@Suite("Stored time precision")
struct StoredTimePrecisionTests {
    @Test("when times with sub-millisecond digits are stored then each reads back no later than written", arguments: TestDatabase.all)
    func neverLater(database: TestDatabase) async throws {
        try await StorageFixtures.withStorage(database) { storage in
            let (client, _) = try await StorageFixtures.insertClient(storage)
            // The first three are instants where `seconds * 1000` rounds up to the next
            // millisecond (found by search); the rest are random.
            let adversarial = [1_800_000_000.0279999, 1_800_000_000.0509999, 1_800_000_000.1529999]
            let random = (0..<100).map { _ in 1_800_000_000 + Double.random(in: 0..<1_000_000) }
            for seconds in adversarial + random {
                let instant = Date(timeIntervalSince1970: seconds)
                let token = StorageFixtures.token(for: client, createdAt: instant.addingTimeInterval(-60), revokedAt: instant)
                try await storage.record(token)
                let stored = try #require(try await storage.token(id: token.id, tenant: .default))
                let revokedAt = try #require(stored.revokedAt)
                #expect(revokedAt <= instant)
                #expect(instant.timeIntervalSince(revokedAt) < 0.001)
                #expect(!stored.isActive(at: instant), "revoked at \(instant.timeIntervalSince1970) but active then")
            }
        }
    }
}
