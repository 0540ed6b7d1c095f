#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The address of the party a request comes from: the TCP peer, or, behind a trusted reverse
/// proxy, the address that proxy saw (see `ForwardedClientAddress` in the HTTP layer). Every
/// per-address rule (sign-in throttling, client authentication throttling, registration
/// limits, audit records) takes it from here, so they all agree on who the caller is.
///
/// Parsed from an IPv4 or IPv6 literal with `inet_pton`; anything else (no peer in
/// in-process tests, a Unix socket) is `unknown`, which all such callers share.
public struct ClientAddress: Sendable, Hashable, CustomStringConvertible {
    /// 4 bytes for IPv4 (also for IPv4-mapped IPv6, `::ffff:a.b.c.d`), 16 for IPv6, empty when unknown.
    public let bytes: [UInt8]

    public static let unknown = ClientAddress(bytes: [])

    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Parses an IPv4 or IPv6 literal (an IPv6 zone such as `%eth0` is dropped); nil for anything else.
    public init?(_ text: some StringProtocol) {
        var literal = String(text).trimmingWhitespace()
        if literal.hasPrefix("["), literal.hasSuffix("]") { literal = String(literal.dropFirst().dropLast()) }
        if let zone = literal.firstIndex(of: "%") { literal = String(literal[..<zone]) }
        guard !literal.isEmpty, literal.utf8.count <= 45 else { return nil }
        var v4 = in_addr()
        if inet_pton(AF_INET, literal, &v4) == 1 {
            self.bytes = withUnsafeBytes(of: &v4) { [UInt8]($0) }
            return
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, literal, &v6) == 1 else { return nil }
        let bytes = withUnsafeBytes(of: &v6) { [UInt8]($0) }
        // An IPv4 client reached through a dual-stack socket is the same client as over IPv4.
        if bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF {
            self.bytes = Array(bytes[12..<16])
        } else {
            self.bytes = bytes
        }
    }

    public var isIPv4: Bool { bytes.count == 4 }
    public var isIPv6: Bool { bytes.count == 16 }

    /// The canonical text (`inet_ntop`), "" when unknown: what audit records show.
    public var description: String {
        guard isIPv4 || isIPv6 else { return "" }
        var buffer = [CChar](repeating: 0, count: 64)
        let family = isIPv4 ? AF_INET : AF_INET6
        let ok = bytes.withUnsafeBytes { raw in
            inet_ntop(family, raw.baseAddress, &buffer, socklen_t(buffer.count)) != nil
        }
        guard ok else { return "" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// What per-source counters are keyed by. An IPv6 end site normally gets a whole /64
    /// (RFC 6177, RFC 7421 §1), so one attacker can rotate through 2^64 addresses: counting
    /// per address would not count them at all. IPv4 counts per address.
    public var throttleKey: String {
        if isIPv6 {
            let prefix = ClientAddress(bytes: Array(bytes[0..<8]) + [UInt8](repeating: 0, count: 8))
            return prefix.description + "/64"
        }
        return isIPv4 ? description : "unknown"
    }
}

extension String {
    fileprivate func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(scalars)
    }
}
