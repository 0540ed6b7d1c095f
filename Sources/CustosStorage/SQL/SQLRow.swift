import CustosCore
import Foundation

/// One result row, by column name.
public struct SQLRow: Sendable {
    public let values: [String: SQLValue]

    public init(values: [String: SQLValue]) { self.values = values }

    func string(_ column: String) throws -> String {
        guard case .text(let value) = values[column] else { throw SQLDecodingError(column: column) }
        return value
    }

    func optionalString(_ column: String) -> String? {
        if case .text(let value) = values[column] { return value }
        return nil
    }

    func int(_ column: String) throws -> Int64 {
        switch values[column] {
        case .int(let value): return value
        case .text(let text): if let value = Int64(text) { return value }
        default: break
        }
        throw SQLDecodingError(column: column)
    }

    func optionalInt(_ column: String) -> Int64? { try? int(column) }

    func bool(_ column: String) throws -> Bool { try int(column) != 0 }

    func date(_ column: String) throws -> Date { Date(millisecondsSince1970: try int(column)) }

    func optionalDate(_ column: String) -> Date? { optionalInt(column).map(Date.init(millisecondsSince1970:)) }

    func json<T: Decodable>(_ column: String, as type: T.Type) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(try string(column).utf8))
    }
}

struct SQLDecodingError: Error, CustomStringConvertible {
    let column: String
    var description: String { "unexpected value in column \(column)" }
}

extension Date {
    init(millisecondsSince1970 millis: Int64) {
        self.init(timeIntervalSince1970: TimeInterval(millis) / 1000)
    }

    /// Whole milliseconds, never later than `self` once read back: `seconds * 1000` can round
    /// up across an integer, and a revocation or key activation stored a hair late would read
    /// back as not yet in effect at the very instant it was made.
    var millisecondsSince1970: Int64 {
        var millis = Int64((timeIntervalSince1970 * 1000).rounded(.down))
        while Date(millisecondsSince1970: millis) > self { millis -= 1 }
        return millis
    }
}

extension SQLValue {
    init(_ date: Date?) { self = date.map { .int($0.millisecondsSince1970) } ?? .null }

    static func json<T: Encodable>(_ value: T) throws -> SQLValue {
        .text(String(decoding: try JSONEncoder().encode(value), as: UTF8.self))
    }
}
