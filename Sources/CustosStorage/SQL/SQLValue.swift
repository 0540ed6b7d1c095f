/// The three kinds of value Custos stores. Keeping to integers and text (JSON for lists,
/// base64url for bytes, Unix milliseconds for times) lets one set of queries serve both
/// SQLite and PostgreSQL.
public enum SQLValue: Sendable, Equatable {
    case null
    case int(Int64)
    case text(String)
}

extension SQLValue {
    init(_ value: String?) { self = value.map(SQLValue.text) ?? .null }
    init(_ value: Int) { self = .int(Int64(value)) }
    init(_ value: Bool) { self = .int(value ? 1 : 0) }
}
