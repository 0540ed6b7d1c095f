import CustosCore
import Testing

/// Rule 13 of the authorization boundaries: outbound requests go only to ordinary public
/// addresses. Hosts are read the way resolvers read them (inet_aton for IPv4), and every
/// block of the IANA IPv4 and IPv6 Special-Purpose Address Registries is refused.
@Suite("Outbound: special-purpose addresses")
struct SpecialPurposeAddressTests {
    static func special(_ host: String) -> Bool? {
        IPAddress(host: host).map(SpecialPurposeAddresses.isSpecialPurpose)
    }

    @Test("when a host is an IPv4 literal in any inet_aton form (decimal, octal, hex, short) then it is read as that address")
    func ipv4LiteralForms() {
        let loopback = IPAddress.v4(0x7F00_0001)
        for form in ["127.0.0.1", "2130706433", "0177.0.0.1", "0x7f.0.0.1", "0x7f.1", "127.1", "127.0.1", "0x7F000001", "017700000001", "127.0.0.1."]
        {
            #expect(IPAddress(host: form) == loopback, "\(form)")
        }
        #expect(IPAddress(host: "0xa9.0xfe.0xa9.0xfe") == IPAddress(host: "169.254.169.254"))
        #expect(IPAddress(host: "10.1") == .v4(0x0A00_0001))
        for name in ["example.com", "127.0.0.1.example", "256.0.0.1", "1.2.3.4.5", "08.0.0.1", "1..2", "+1.2.3.4", "", "127.0.0.0x1g"] {
            #expect(IPAddress(host: name) == nil, "\(name) is not an IPv4 literal")
        }
        #expect(IPAddress(host: "0x") == .v4(0), "inet_aton reads a bare 0x as 0")
        #expect(IPAddress(host: "1.16777216") == nil, "the last part fills three bytes at most")
        #expect(IPAddress(host: "1.16777215") == .v4(0x01FF_FFFF))
    }

    @Test("when a host is an IPv6 literal (compressed, bracketed, embedded IPv4, zone) then it is parsed; malformed ones are names")
    func ipv6Literals() {
        #expect(IPAddress(host: "::1") == .v6(Array(repeating: 0, count: 15) + [1]))
        #expect(IPAddress(host: "[::1]") == IPAddress(host: "0:0:0:0:0:0:0:1"))
        #expect(IPAddress(host: "::ffff:127.0.0.1") == IPAddress(host: "::ffff:7f00:1"))
        #expect(IPAddress(host: "fe80::1%eth0") == IPAddress(host: "fe80::1"))
        for bad in ["1:2:3:4:5:6:7:8:9", "::1::", "12345::", "::ffff:127.1", "::ffff:0177.0.0.1", "g::1", ":::"] {
            #expect(IPAddress(host: bad) == nil, "\(bad)")
        }
    }

    @Test(
        "when an address is in any block of the IANA IPv4 special-purpose registry, or multicast, then it is special",
        arguments: [
            "0.0.0.0", "0.1.2.3", "10.0.0.1", "10.255.255.255", "100.64.0.1", "100.127.255.254", "127.0.0.1", "127.255.0.1",
            "169.254.169.254", "172.16.0.1", "172.31.255.255", "192.0.0.1", "192.0.0.170", "192.0.2.1", "192.31.196.1",
            "192.52.193.1", "192.88.99.1", "192.168.1.1", "192.175.48.1", "198.18.0.1", "198.19.255.255", "198.51.100.7",
            "203.0.113.9", "224.0.0.1", "239.255.255.255", "240.0.0.1", "255.255.255.255",
        ]
    )
    func ipv4Registry(address: String) {
        #expect(Self.special(address) == true)
    }

    @Test(
        "when an address is in any block of the IANA IPv6 special-purpose registry, or outside global unicast, then it is special",
        arguments: [
            "::", "::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "::127.0.0.1", "64:ff9b::127.0.0.1",
            "64:ff9b::a9fe:a9fe", "64:ff9b:1::8.8.8.8", "100::1", "2001::1", "2001:1::1", "2001:2::1", "2001:3::1",
            "2001:4:112::1", "2001:10::1", "2001:20::1", "2001:30::1", "2001:1ff:ffff::1", "2001:db8::1", "2002:7f00:1::1",
            "2002:a00:1::1", "2620:4f:8000::1", "3fff::1", "5f00::1", "fc00::1", "fd12:3456::1", "fe80::1", "fec0::1",
            "ff02::1", "ff0e::1",
        ]
    )
    func ipv6Registry(address: String) {
        #expect(Self.special(address) == true)
    }

    @Test(
        "when an address is ordinary public unicast (also mapped, NAT64 or 6to4 forms of one) then it is not special",
        arguments: [
            "8.8.8.8", "1.1.1.1", "93.184.216.34", "172.32.0.1", "172.15.255.255", "100.128.0.1", "192.0.3.1", "198.20.0.1",
            "223.255.255.255", "2606:4700::1111", "2a00:1450:4001::200e", "2001:200::1", "::ffff:8.8.8.8", "64:ff9b::8.8.8.8",
            "2002:808:808::1",
        ]
    )
    func publicAddresses(address: String) {
        #expect(Self.special(address) == false)
    }

    @Test("when a URL to be registered names a special-use literal or localhost then the policy refuses it, unless private fetches are allowed")
    func registrationLiterals() {
        let policy = OutboundAddressPolicy()
        for url in [
            "https://127.0.0.1/jwks", "https://2130706433/jwks", "https://0177.0.0.1/jwks", "https://0x7f.1/jwks", "https://127.1/",
            "https://[::1]/jwks", "https://[::ffff:127.0.0.1]/jwks", "https://[64:ff9b::a9fe:a9fe]/", "https://169.254.169.254/latest",
            "https://10.0.0.1:8443/x", "https://localhost/jwks", "https://api.localhost/jwks", "https://LOCALHOST./jwks",
        ] {
            #expect(policy.registrationProblem(url) != nil, "\(url)")
            #expect(OutboundAddressPolicy(allowsPrivateAddresses: true).registrationProblem(url) == nil, "\(url) with private fetch allowed")
        }
        for url in ["https://rp.example.com/jwks", "https://8.8.8.8/jwks", "https://[2606:4700::1111]/jwks", "https://127.0.0.1.nip.io/"] {
            #expect(policy.registrationProblem(url) == nil, "\(url)")
        }
        #expect(policy.registrationProblem("https://rp_example.com/jwks") != nil, "a host a resolver might read differently")
    }
}
