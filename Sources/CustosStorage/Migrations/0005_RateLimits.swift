/// Request counters of the rate limiter, shared by every node of a PostgreSQL deployment.
/// One row per caller and window; `window_end` lets old rows be swept.
enum Migration0005RateLimits {
    static let migration = Migration(
        id: 5,
        name: "rate_limits",
        statements: [
            """
            CREATE TABLE rate_limit_counters (
                counter_key TEXT NOT NULL,
                window_start BIGINT NOT NULL,
                window_end BIGINT NOT NULL,
                hits BIGINT NOT NULL,
                PRIMARY KEY (counter_key, window_start)
            )
            """,
            "CREATE INDEX rate_limit_counters_window_end ON rate_limit_counters (window_end)",
        ]
    )
}
