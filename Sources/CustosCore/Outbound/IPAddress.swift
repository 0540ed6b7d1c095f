/// An IPv4 or IPv6 address, parsed from a URL host the way the system resolver reads it, so
/// that the address checked is the address connected to.
///
/// IPv4 follows `inet_aton` (which `getaddrinfo` uses for numeric hosts): one to four parts
/// separated by dots, each decimal, octal (leading `0`) or hexadecimal (`0x`); the last part
/// fills the remaining bytes. So `2130706433`, `0177.0.0.1`, `0x7f.1` and `127.1` are all
/// 127.0.0.1, and a check that only knew dotted quads would let them through (SSRF).
/// IPv6 follows RFC 4291 §2.2 (`::` once, an embedded dotted quad at the end), with or
/// without the URL's brackets (RFC 3986 §3.2.2); a zone (`%eth0`) is ignored.
public enum IPAddress: Sendable, Hashable, CustomStringConvertible {
    case v4(UInt32)
    case v6([UInt8])

    /// The address a URL host denotes, or nil when the host is a name.
    public init?(host: String) {
        var text = Substring(host)
        if text.hasPrefix("[") && text.hasSuffix("]") { text = text.dropFirst().dropLast() }
        if text.contains(":") {
            guard let bytes = Self.parseIPv6(text) else { return nil }
            self = .v6(bytes)
        } else {
            guard let value = Self.parseIPv4(text) else { return nil }
            self = .v4(value)
        }
    }

    /// `inet_aton` semantics. A trailing dot is accepted as resolvers and browsers do
    /// ("127.0.0.1." is the same host).
    static func parseIPv4(_ text: Substring) -> UInt32? {
        var text = text
        if text.hasSuffix(".") { text = text.dropLast() }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...4).contains(parts.count) else { return nil }
        var values: [UInt64] = []
        for part in parts {
            guard let value = parseIPv4Part(part) else { return nil }
            values.append(value)
        }
        var result: UInt64 = 0
        for (index, value) in values.dropLast().enumerated() {
            guard value <= 0xFF else { return nil }
            result |= value << (8 * UInt64(3 - index))
        }
        let lastBits = 8 * UInt64(5 - values.count)
        guard let last = values.last, last < (UInt64(1) << lastBits) else { return nil }
        return UInt32(result | last)
    }

    private static func parseIPv4Part(_ part: Substring) -> UInt64? {
        guard !part.isEmpty, part.utf8.count <= 12 else { return nil }
        let lower = part.lowercased()
        if lower.hasPrefix("0x") {
            let digits = lower.dropFirst(2)
            guard digits.allSatisfy(\.isHexDigit) else { return nil }
            // inet_aton reads a bare "0x" as 0.
            return digits.isEmpty ? 0 : UInt64(digits, radix: 16)
        }
        guard lower.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        if lower.hasPrefix("0") && lower.count > 1 { return UInt64(lower.dropFirst(), radix: 8) }
        return UInt64(lower, radix: 10)
    }

    static func parseIPv6(_ text: Substring) -> [UInt8]? {
        var text = text
        if let zone = text.firstIndex(of: "%") { text = text[..<zone] }
        guard !text.isEmpty, text.utf8.count <= 45 else { return nil }
        var head: [UInt16] = []
        var tail: [UInt16] = []
        var sawGap = false
        let pieces = Self.split(text, atDoubleColons: ())
        guard pieces.count <= 2 else { return nil }
        sawGap = pieces.count == 2
        func groups(_ piece: Substring, allowIPv4: Bool) -> [UInt16]? {
            if piece.isEmpty { return [] }
            var result: [UInt16] = []
            let fields = piece.split(separator: ":", omittingEmptySubsequences: false)
            for (index, field) in fields.enumerated() {
                if allowIPv4, index == fields.count - 1, field.contains(".") {
                    // Only a strict dotted quad may end an IPv6 address (RFC 4291 §2.2 item 3).
                    let octets = field.split(separator: ".", omittingEmptySubsequences: false)
                    guard octets.count == 4 else { return nil }
                    var bytes: [UInt16] = []
                    for octet in octets {
                        guard !octet.isEmpty, octet.count <= 3, octet.allSatisfy({ $0.isASCII && $0.isNumber }),
                            let value = UInt16(octet), value <= 255, octet == "0" || !octet.hasPrefix("0")
                        else { return nil }
                        bytes.append(value)
                    }
                    result.append(bytes[0] << 8 | bytes[1])
                    result.append(bytes[2] << 8 | bytes[3])
                    continue
                }
                guard (1...4).contains(field.count), field.allSatisfy(\.isHexDigit), let value = UInt16(field, radix: 16) else { return nil }
                result.append(value)
            }
            return result
        }
        if sawGap {
            guard let first = groups(pieces[0], allowIPv4: false), let second = groups(pieces[1], allowIPv4: true) else { return nil }
            head = first
            tail = second
            guard head.count + tail.count <= 7 else { return nil }
        } else {
            guard let all = groups(pieces[0], allowIPv4: true), all.count == 8 else { return nil }
            head = all
        }
        let words = head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail
        return words.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
    }

    /// `text` cut at every "::" (without Foundation).
    private static func split(_ text: Substring, atDoubleColons: Void) -> [Substring] {
        var pieces: [Substring] = []
        var start = text.startIndex
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(after: index)
            if text[index] == ":", next < text.endIndex, text[next] == ":" {
                pieces.append(text[start..<index])
                start = text.index(after: next)
                index = start
            } else {
                index = next
            }
        }
        pieces.append(text[start...])
        return pieces
    }

    public var description: String {
        switch self {
        case .v4(let value):
            return [24, 16, 8, 0].map { String((value >> UInt32($0)) & 0xFF) }.joined(separator: ".")
        case .v6(let bytes):
            return stride(from: 0, to: 16, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
                .joined(separator: ":")
        }
    }
}
