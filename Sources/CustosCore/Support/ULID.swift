import Foundation

/// Universally Unique Lexicographically Sortable Identifier: 48 bits of milliseconds and
/// 80 random bits, in Crockford's base32. Record ids are ULIDs, so they sort by creation time.
public enum ULID {
    private static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    public static func make(at date: Date = Date()) -> String {
        let millis = UInt64(max(0, date.timeIntervalSince1970 * 1000))
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<6 {
            bytes[index] = UInt8(truncatingIfNeeded: millis >> (8 * (5 - index)))
        }
        let random = SecureRandom.bytes(10)
        bytes.replaceSubrange(6..<16, with: random)
        // 128 bits as 26 base32 digits; the first digit carries the top 3 bits.
        var output = [UInt8](repeating: 0, count: 26)
        var value = (UInt64(0), UInt64(0))
        for index in 0..<8 { value.0 = value.0 << 8 | UInt64(bytes[index]) }
        for index in 8..<16 { value.1 = value.1 << 8 | UInt64(bytes[index]) }
        for position in stride(from: 25, through: 0, by: -1) {
            output[position] = alphabet[Int(value.1 & 0x1F)]
            value.1 = value.1 >> 5 | (value.0 & 0x1F) << 59
            value.0 >>= 5
        }
        return String(decoding: output, as: UTF8.self)
    }

    public static func isValid(_ text: String) -> Bool {
        text.utf8.count == 26 && text.utf8.allSatisfy { alphabet.contains($0) }
    }
}
