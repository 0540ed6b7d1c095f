import CustosCore
import Testing

/// Who a request comes from (rule 12): IP literals and CIDR ranges, IPv6 counted per /64, and
/// `X-Forwarded-For` believed only from a listed proxy, rightmost untrusted entry first.
@Suite("Client address")
struct ClientAddressTests {
    static func address(_ text: String) -> ClientAddress { ClientAddress(text)! }
    static func ranges(_ text: String) throws -> [AddressRange] { try AddressRange.list(text) }

    @Test("when IPv4 and IPv6 literals are parsed then they print canonically; IPv4-mapped IPv6 is the IPv4 address")
    func literals() throws {
        #expect(Self.address("192.0.2.7").description == "192.0.2.7")
        #expect(Self.address("2001:DB8:0:0::1").description == "2001:db8::1")
        #expect(Self.address("[2001:db8::1]").description == "2001:db8::1")
        #expect(Self.address("fe80::1%eth0").description == "fe80::1")
        #expect(Self.address("::ffff:192.0.2.7") == Self.address("192.0.2.7"))
        for garbage in ["", "unknown", "192.0.2", "192.0.2.256", "1.2.3.4.5", "2001:db8::g", "_hidden", "192.0.2.7:8080", "<script>"] {
            #expect(ClientAddress(garbage) == nil, "\(garbage)")
        }
    }

    @Test("when IPv6 sources are counted then every address of one /64 shares a key, IPv4 addresses do not")
    func throttleKeys() throws {
        let one = Self.address("2001:db8:1:2:aaaa::1").throttleKey
        #expect(one == "2001:db8:1:2::/64")
        #expect(Self.address("2001:db8:1:2:ffff:ffff:ffff:ffff").throttleKey == one)
        #expect(Self.address("2001:db8:1:3::1").throttleKey != one)
        #expect(Self.address("192.0.2.1").throttleKey != Self.address("192.0.2.2").throttleKey)
        #expect(ClientAddress.unknown.throttleKey == "unknown")
    }

    @Test("when CIDR ranges are listed then membership follows the prefix; invalid entries are refused")
    func ranges() throws {
        let list = try Self.ranges("10.0.0.0/8, 192.0.2.7 ,fd00::/8,2001:db8::/127")
        let resolver = ForwardedClientAddress(trustedProxies: list)
        for inside in ["10.255.0.1", "192.0.2.7", "fd12::1", "2001:db8::1"] { #expect(resolver.isTrusted(Self.address(inside)), "\(inside)") }
        for outside in ["11.0.0.1", "192.0.2.8", "fe00::1", "2001:db8::2", "::ffff:11.0.0.1"] {
            #expect(!resolver.isTrusted(Self.address(outside)), "\(outside)")
        }
        #expect(!resolver.isTrusted(.unknown))
        for bad in ["10.0.0.0/33", "fd00::/129", "10.0.0.0/-1", "10.0.0.0/8/8", "example.com", "10.0.0.0/ 8x"] {
            #expect(throws: InvalidAddressRange.self, "\(bad)") { try Self.ranges(bad) }
        }
        #expect(try Self.ranges("").isEmpty)
    }

    @Test("when no proxy is trusted then X-Forwarded-For is ignored and the peer is the client")
    func noTrustByDefault() throws {
        let peer = Self.address("203.0.113.9")
        let resolver = ForwardedClientAddress(trustedProxies: [])
        #expect(resolver.resolve(peer: peer, forwardedFor: ["198.51.100.1"]) == peer)
        // A listed proxy list does not help a peer that is not in it.
        let other = ForwardedClientAddress(trustedProxies: try Self.ranges("10.0.0.0/8"))
        #expect(other.resolve(peer: peer, forwardedFor: ["198.51.100.1, 10.0.0.1"]) == peer)
    }

    @Test("when the peer is a trusted proxy then the client is the rightmost entry that is not a trusted proxy")
    func trustedChain() throws {
        let resolver = ForwardedClientAddress(trustedProxies: try Self.ranges("10.0.0.0/8,127.0.0.1"))
        let peer = Self.address("127.0.0.1")
        // The client put 1.1.1.1 at the left itself; the proxies appended the rest.
        #expect(resolver.resolve(peer: peer, forwardedFor: ["1.1.1.1, 198.51.100.5"]) == Self.address("198.51.100.5"))
        #expect(resolver.resolve(peer: peer, forwardedFor: ["1.1.1.1, 198.51.100.5, 10.1.2.3, 10.0.0.9"]) == Self.address("198.51.100.5"))
        // Several header fields are one list, in order.
        #expect(resolver.resolve(peer: peer, forwardedFor: ["1.1.1.1", "198.51.100.5, 10.0.0.9"]) == Self.address("198.51.100.5"))
        #expect(resolver.resolve(peer: peer, forwardedFor: ["2001:db8::5"]) == Self.address("2001:db8::5"))
        // Only trusted proxies: the leftmost of them is as far as the chain is known.
        #expect(resolver.resolve(peer: peer, forwardedFor: ["10.0.0.7, 10.0.0.9"]) == Self.address("10.0.0.7"))
        #expect(resolver.resolve(peer: peer, forwardedFor: []) == peer)
    }

    @Test("when X-Forwarded-For holds garbage then the walk stops at the last address known good")
    func garbage() throws {
        let resolver = ForwardedClientAddress(trustedProxies: try Self.ranges("127.0.0.1,10.0.0.0/8"))
        let peer = Self.address("127.0.0.1")
        #expect(resolver.resolve(peer: peer, forwardedFor: ["not-an-address"]) == peer)
        #expect(resolver.resolve(peer: peer, forwardedFor: [""]) == peer)
        #expect(resolver.resolve(peer: peer, forwardedFor: ["198.51.100.5, unknown"]) == peer)
        #expect(resolver.resolve(peer: peer, forwardedFor: ["198.51.100.5, garbage, 10.0.0.9"]) == Self.address("10.0.0.9"))
    }
}
