import CustosCore

extension SQLStorage {
    public var isShared: Bool { database.dialect == .postgres }

    /// One upsert: concurrent hits on any node serialise on the counter's row, so each sees
    /// its own count. The first hit of a window sweeps counters whose window is over.
    public func recordHit(key: String, windowStart: Int64, windowEnd: Int64) async throws -> Int {
        let rows = try await database.query(
            """
            INSERT INTO rate_limit_counters (counter_key, window_start, window_end, hits) VALUES (?, ?, ?, 1)
            ON CONFLICT (counter_key, window_start) DO UPDATE SET hits = rate_limit_counters.hits + 1
            RETURNING hits
            """,
            .text(key),
            .int(windowStart),
            .int(windowEnd)
        )
        guard let row = rows.first else { throw StorageUnavailable("the rate-limit counter was not returned") }
        let hits = Int(try row.int("hits"))
        if hits == 1 {
            try await database.query("DELETE FROM rate_limit_counters WHERE counter_key = ? AND window_end <= ?", .text(key), .int(windowStart))
            // Callers that never return leave a row each; a 1-in-64 sweep keeps the table small.
            if UInt8.random(in: 0..<64) == 0 {
                try await database.query("DELETE FROM rate_limit_counters WHERE window_end <= ?", .int(windowStart))
            }
        }
        return hits
    }
}
