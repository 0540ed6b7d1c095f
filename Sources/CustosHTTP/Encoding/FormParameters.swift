import Foundation
import Hummingbird

/// Strict `application/x-www-form-urlencoded` parsing for OAuth bodies. Hummingbird's form
/// decoder is lenient; OAuth is not: a repeated parameter is `invalid_request` (RFC 6749 §3.1),
/// and a parameter sent without a value counts as omitted.
enum FormParameters {
    static func parse(_ body: String) throws(OAuthWireError) -> [String: String] {
        var result: [String: String] = [:]
        for pair in body.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(parts[0]), let value = decode(parts.count > 1 ? parts[1] : "") else {
                throw .invalidRequest("the request body is not valid form encoding")
            }
            guard !name.isEmpty else { continue }
            guard result[name] == nil else { throw .invalidRequest("the parameter \(name) is repeated") }
            if !value.isEmpty { result[name] = value }
        }
        return result
    }

    /// `+` is a space, then percent-decoding; nil for malformed escapes or invalid UTF-8.
    /// Byte by byte: Foundation's replacing and percent-decoding went through NSString and
    /// were a visible share of every token and introspection request.
    static func decode(_ text: Substring) -> String? {
        let utf8 = text.utf8
        if !utf8.contains(where: { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "%") }) {
            return String(validating: utf8, as: UTF8.self)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count)
        var iterator = utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"):
                bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { return nil }
                bytes.append(high << 4 | low)
            default:
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
