/// One schema step, with its SQL for each dialect side by side. Most statements are the same
/// text in both (`BIGINT` and `TEXT` mean the same to SQLite and PostgreSQL); `postgres` is
/// set only where they differ.
struct Migration: Sendable {
    let id: Int
    let name: String
    let sqlite: [String]
    let postgres: [String]

    init(id: Int, name: String, statements: [String], postgres: [String]? = nil) {
        self.id = id
        self.name = name
        self.sqlite = statements
        self.postgres = postgres ?? statements
    }

    func statements(for dialect: SQLDialect) -> [String] {
        dialect == .sqlite ? sqlite : postgres
    }
}
