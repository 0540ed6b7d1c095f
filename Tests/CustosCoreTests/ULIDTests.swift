import CustosCore
import Foundation
import Testing

@Suite("ULID")
struct ULIDTests {
    static let crockford = Set("0123456789ABCDEFGHJKMNPQRSTVWXYZ")

    /// Decodes the 48-bit time prefix (the first 10 Crockford digits).
    static func milliseconds(of ulid: String) -> UInt64? {
        let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
        var value: UInt64 = 0
        for character in ulid.prefix(10) {
            guard let digit = alphabet.firstIndex(of: character) else { return nil }
            value = value << 5 | UInt64(digit)
        }
        return value
    }

    @Test("when a ULID is made then it has 26 characters of Crockford base32 only")
    func shape() {
        for _ in 0..<200 {
            let id = ULID.make()
            #expect(id.count == 26)
            #expect(id.allSatisfy { Self.crockford.contains($0) }, "\(id) has a character outside Crockford base32")
            #expect(ULID.isValid(id))
        }
    }

    @Test("when a ULID is made at a time then its prefix encodes that time in milliseconds")
    func encodesTime() {
        // The example of the ULID specification: 1469918176385 ms is 01ARYZ6S41.
        let id = ULID.make(at: Date(timeIntervalSince1970: 1_469_918_176.3855))
        #expect(id.hasPrefix("01ARYZ6S41"))
        #expect(Self.milliseconds(of: id) == 1_469_918_176_385)
        #expect(ULID.make(at: Date(timeIntervalSince1970: 0)).hasPrefix("0000000000"))
    }

    @Test("when ULIDs are made at increasing times then sorting them as strings sorts them by time")
    func sortsByTime() {
        // Whole milliseconds (plus half a millisecond against rounding): consecutive ones, and hours apart.
        let base: UInt64 = 1_800_000_000_000
        let millis = (0..<300).map { base + UInt64($0) + UInt64($0 / 50) * 3_600_000 }
        let made = millis.indices.shuffled().map { (index: $0, id: ULID.make(at: Date(timeIntervalSince1970: (Double(millis[$0]) + 0.5) / 1000))) }
        #expect(made.allSatisfy { Self.milliseconds(of: $0.id) == millis[$0.index] })
        #expect(made.sorted { $0.id < $1.id }.map(\.index) == Array(millis.indices))
    }

    @Test("when many ULIDs are made in the same millisecond then all are unique")
    func unique() {
        let ids = (0..<10_000).map { _ in ULID.make(at: CoreFixtures.epoch) }
        #expect(Set(ids).count == ids.count)
    }

    @Test(
        "when a string is not a ULID then isValid refuses it",
        arguments: [
            "", "01ARYZ6S41TSV4RRFFQ69G5FA", "01ARYZ6S41TSV4RRFFQ69G5FAVX", "01ARYZ6S41TSV4RRFFQ69G5FAI",
            "01ARYZ6S41TSV4RRFFQ69G5FAL", "01ARYZ6S41TSV4RRFFQ69G5FAU", "01aryz6s41tsv4rrffq69g5fav",
        ]
    )
    func invalid(text: String) {
        #expect(!ULID.isValid(text))
    }
}
