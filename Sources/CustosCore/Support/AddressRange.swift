/// An IP address or CIDR range (`10.0.0.0/8`, `fd00::/8`, `203.0.113.7`), as listed in
/// `CUSTOS_TRUSTED_PROXIES`.
public struct AddressRange: Sendable, Hashable, CustomStringConvertible {
    public let network: ClientAddress
    public let prefixLength: Int

    /// Parses `ADDRESS` or `ADDRESS/BITS`; nil when either part is invalid or BITS exceeds
    /// the address size.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let address = ClientAddress(parts[0]), address.isIPv4 || address.isIPv6 else { return nil }
        let bits = address.bytes.count * 8
        var length = bits
        if parts.count == 2 {
            guard let given = Int(parts[1]), (0...bits).contains(given), parts[1].allSatisfy(\.isNumber) else { return nil }
            length = given
        }
        self.network = address
        self.prefixLength = length
    }

    /// True when `address` is of the same family and shares the first `prefixLength` bits.
    public func contains(_ address: ClientAddress) -> Bool {
        guard address.bytes.count == network.bytes.count, !network.bytes.isEmpty else { return false }
        var remaining = prefixLength
        for (a, b) in zip(address.bytes, network.bytes) where remaining > 0 {
            let mask: UInt8 = remaining >= 8 ? 0xFF : ~(0xFF >> UInt8(remaining))
            if a & mask != b & mask { return false }
            remaining -= 8
        }
        return true
    }

    public var description: String { "\(network)/\(prefixLength)" }

    /// Parses a comma-separated list; throws with the first invalid entry.
    public static func list(_ text: String) throws(InvalidAddressRange) -> [AddressRange] {
        var ranges: [AddressRange] = []
        for entry in text.split(separator: ",") {
            let trimmed = entry.filter { $0 != " " && $0 != "\t" }
            if trimmed.isEmpty { continue }
            guard let range = AddressRange(trimmed) else { throw InvalidAddressRange(entry: trimmed) }
            ranges.append(range)
        }
        return ranges
    }
}

public struct InvalidAddressRange: Error, CustomStringConvertible {
    public let entry: String
    public var description: String { "\"\(entry)\" is not an IP address or CIDR range" }
}
