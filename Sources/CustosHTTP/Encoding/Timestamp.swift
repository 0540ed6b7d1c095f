import Foundation

/// RFC 3339 UTC times with second precision, as the admin API writes them.
enum Timestamp {
    static func string(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: false, timeZone: .gmt))
    }

    static func string(_ date: Date?) -> String {
        date.map { string($0) } ?? ""
    }
}
