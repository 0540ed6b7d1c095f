/// The IANA IPv4 and IPv6 Special-Purpose Address Registries (RFC 6890, updated by RFC 8190;
/// registries as of 2025), plus multicast and the reserved IPv6 space: every block a server
/// must not be made to connect to on a client's behalf, because it is the server's own host
/// or network, someone else's private network, or not a unicast destination at all.
///
/// The check is deliberately wider than "private": an address is refused unless it is
/// ordinary global unicast. Addresses that carry an IPv4 address (IPv4-mapped, NAT64
/// well-known prefix, 6to4) are judged by the IPv4 address inside, since that is where the
/// packets end up.
public enum SpecialPurposeAddresses {
    /// A registry block: `prefix` with `length` leading bits significant.
    struct Block: Sendable {
        let prefix: [UInt8]
        let length: Int
        let name: String

        func contains(_ bytes: [UInt8]) -> Bool {
            guard bytes.count == prefix.count else { return false }
            var remaining = length
            for index in 0..<bytes.count where remaining > 0 {
                let bits = min(8, remaining)
                let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
                if bytes[index] & mask != prefix[index] & mask { return false }
                remaining -= bits
            }
            return true
        }
    }

    /// IANA IPv4 Special-Purpose Address Registry, every entry, plus 224.0.0.0/4 (multicast,
    /// RFC 5771), which the registry does not list but is never a unicast destination.
    static let ipv4: [Block] = [
        v4([0, 0, 0, 0], 8, "this network (RFC 791)"),
        v4([10, 0, 0, 0], 8, "private use (RFC 1918)"),
        v4([100, 64, 0, 0], 10, "shared address space (RFC 6598)"),
        v4([127, 0, 0, 0], 8, "loopback (RFC 1122)"),
        v4([169, 254, 0, 0], 16, "link local (RFC 3927)"),
        v4([172, 16, 0, 0], 12, "private use (RFC 1918)"),
        // 192.0.0.0/24 holds 192.0.0.0/29 (DS-Lite), 192.0.0.8/32, 192.0.0.9/32 (PCP anycast),
        // 192.0.0.10/32 (TURN anycast), 192.0.0.170-171/32 (NAT64 discovery): all inside.
        v4([192, 0, 0, 0], 24, "IETF protocol assignments (RFC 6890)"),
        v4([192, 0, 2, 0], 24, "documentation TEST-NET-1 (RFC 5737)"),
        v4([192, 31, 196, 0], 24, "AS112-v4 (RFC 7535)"),
        v4([192, 52, 193, 0], 24, "AMT (RFC 7450)"),
        v4([192, 88, 99, 0], 24, "deprecated 6to4 relay anycast (RFC 7526)"),
        v4([192, 168, 0, 0], 16, "private use (RFC 1918)"),
        v4([192, 175, 48, 0], 24, "direct delegation AS112 service (RFC 7534)"),
        v4([198, 18, 0, 0], 15, "benchmarking (RFC 2544)"),
        v4([198, 51, 100, 0], 24, "documentation TEST-NET-2 (RFC 5737)"),
        v4([203, 0, 113, 0], 24, "documentation TEST-NET-3 (RFC 5737)"),
        v4([224, 0, 0, 0], 4, "multicast (RFC 5771)"),
        // 240.0.0.0/4 includes 255.255.255.255/32 (limited broadcast, RFC 919).
        v4([240, 0, 0, 0], 4, "reserved (RFC 1112)"),
    ]

    /// IANA IPv6 Special-Purpose Address Registry entries inside 2000::/3. Everything outside
    /// 2000::/3 (the only space IANA assigns for global unicast, RFC 4291 §2.4) is refused as a
    /// whole: ::/128, ::1/128, 100::/64 (discard-only), 64:ff9b:1::/48 (local-use NAT64),
    /// 5f00::/16 (SRv6 SIDs), fc00::/7 (unique local), fe80::/10 (link local), ff00::/8
    /// (multicast) and the reserved blocks all lie there, except for the embedded-IPv4 forms
    /// handled by `classify`.
    static let ipv6: [Block] = [
        // 2001::/23 holds TEREDO 2001::/32, 2001:1::1-3/128 (PCP, TURN, DNS-SD SRP anycast),
        // benchmarking 2001:2::/48, AMT 2001:3::/32, AS112-v6 2001:4:112::/48, ORCHIDv2
        // 2001:20::/28 and DRIP 2001:30::/28: all inside.
        v6([0x20, 0x01, 0x00, 0x00], 23, "IETF protocol assignments (RFC 2928)"),
        v6([0x20, 0x01, 0x0d, 0xb8], 32, "documentation (RFC 3849)"),
        v6([0x26, 0x20, 0x00, 0x4f, 0x80, 0x00], 48, "direct delegation AS112 service (RFC 7534)"),
        v6([0x3f, 0xff], 20, "documentation (RFC 9637)"),
    ]

    static let globalUnicast = v6([0x20], 3, "global unicast")
    static let ipv4Mapped = v6([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF], 96, "IPv4-mapped (RFC 4291)")
    static let nat64WellKnown = v6([0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0], 96, "NAT64 well-known prefix (RFC 6052)")
    static let sixToFour = v6([0x20, 0x02], 16, "6to4 (RFC 3056)")

    /// Why `address` is not an ordinary public destination, or nil when it is one.
    public static func classify(_ address: IPAddress) -> String? {
        switch address {
        case .v4(let value):
            let bytes = [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: value >> UInt32($0)) }
            return ipv4.first { $0.contains(bytes) }.map(\.name)
        case .v6(let bytes):
            // The IPv4 address inside decides where the packets go: mapped (::ffff:a.b.c.d is
            // a.b.c.d itself), NAT64 well-known prefix (64:ff9b::a.b.c.d, RFC 6052 §2.1:
            // translated to a.b.c.d) and 6to4 (2002:AABB:CCDD::/48 routes to AA.BB.CC.DD).
            if ipv4Mapped.contains(bytes) || nat64WellKnown.contains(bytes) {
                return classify(.v4(embeddedIPv4(bytes, at: 12))).map { "IPv6 form of \($0)" }
            }
            if sixToFour.contains(bytes) {
                return classify(.v4(embeddedIPv4(bytes, at: 2))).map { "6to4 form of \($0)" }
            }
            guard globalUnicast.contains(bytes) else { return "not global unicast IPv6 (RFC 4291 §2.4)" }
            return ipv6.first { $0.contains(bytes) }.map(\.name)
        }
    }

    public static func isSpecialPurpose(_ address: IPAddress) -> Bool { classify(address) != nil }

    private static func embeddedIPv4(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        bytes[offset..<offset + 4].reduce(0) { $0 << 8 | UInt32($1) }
    }

    private static func v4(_ prefix: [UInt8], _ length: Int, _ name: String) -> Block {
        Block(prefix: prefix + Array(repeating: 0, count: 4 - prefix.count), length: length, name: name)
    }

    private static func v6(_ prefix: [UInt8], _ length: Int, _ name: String) -> Block {
        Block(prefix: prefix + Array(repeating: 0, count: 16 - prefix.count), length: length, name: name)
    }
}
