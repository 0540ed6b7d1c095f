/// Compares two byte strings in time that depends only on their lengths, so a secret's
/// prefix cannot be found by timing (swift-crypto has no public general-purpose compare).
public enum ConstantTimeComparison {
    public static func equals<A: Collection, B: Collection>(_ lhs: A, _ rhs: B) -> Bool
    where A.Element == UInt8, B.Element == UInt8 {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for (left, right) in zip(lhs, rhs) { difference |= left ^ right }
        return difference == 0
    }
}
