import Crypto
import Foundation

/// Server-provided DPoP nonces (RFC 9449 §8) that need no table: a nonce is the number of a
/// time slot and an HMAC over it, under a key derived from the master key. Every node derives
/// the same key, so a nonce one node issued is accepted by any other ("accepted across
/// nodes"), and a nonce this server did not issue fails its MAC.
///
/// Nonces rotate with the slot (RFC 9449 §8.2 leaves the schedule to the server): the current
/// slot's nonce is issued, and the current and the previous slot's are accepted, so a nonce
/// lives between one and two slots. A nonce is not a secret and is not single use (§8: it
/// limits how long a proof made in advance stays usable); single use is the `jti`'s job.
public struct DPoPNonces: Sendable {
    /// How long one slot lasts.
    public static let slotLength: TimeInterval = 300
    private static let prefix = "dn1."

    private let key: SymmetricKey
    private let clock: any WallClock

    public init(key: SymmetricKey, clock: any WallClock) {
        self.key = key
        self.clock = clock
    }

    /// The nonce of the current slot.
    public func issue() -> String {
        nonce(forSlot: slot(of: clock.now))
    }

    /// True for a nonce of the current or the previous slot, issued by a node holding our key.
    public func isValid(_ nonce: String) -> Bool {
        guard nonce.hasPrefix(Self.prefix), nonce.utf8.count < 128,
            let bytes = Base64URL.decode(nonce.dropFirst(Self.prefix.count)), bytes.count == 8 + 32
        else { return false }
        let slotBytes = bytes.prefix(8)
        let slot = slotBytes.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let current = self.slot(of: clock.now)
        // `current - 1`, never `slot + 1`: the slot comes from the client and may be UInt64.max.
        guard slot == current || (current > 0 && slot == current - 1) else { return false }
        // Constant-time comparison of the MAC (swift-crypto).
        return HMAC<SHA256>.isValidAuthenticationCode(Data(bytes.suffix(32)), authenticating: Data(slotBytes), using: key)
    }

    private func slot(of date: Date) -> UInt64 {
        UInt64(max(0, date.timeIntervalSince1970 / Self.slotLength).rounded(.down))
    }

    private func nonce(forSlot slot: UInt64) -> String {
        let slotBytes = (0..<8).map { UInt8(truncatingIfNeeded: slot >> (8 * (7 - $0))) }
        let mac = HMAC<SHA256>.authenticationCode(for: slotBytes, using: key)
        return Self.prefix + Base64URL.encode(slotBytes + Array(mac))
    }
}
