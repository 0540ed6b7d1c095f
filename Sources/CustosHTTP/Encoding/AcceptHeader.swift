import Foundation

/// Proactive content negotiation over the `Accept` header (RFC 9110 §12.5.1): which of the
/// representations an endpoint can produce the caller prefers. Media types and parameter
/// names compare case-insensitively (§8.3.1); a type's weight is the `q` of the most specific
/// range that matches it (`type/subtype` over `type/*` over `*/*`); `q=0` means "not
/// acceptable" (§12.4.2). Media type parameters other than `q` do not narrow the match: the
/// representations here have none. An element that is not a media range, or whose `q` is not
/// a valid weight, is ignored; a header with no valid element is as if absent.
struct AcceptHeader {
    struct Range {
        let type: String
        let subtype: String
        let weight: Double

        /// 2 for `type/subtype`, 1 for `type/*`, 0 for `*/*`; nil when the range does not cover `mediaType`.
        func specificity(for mediaType: (type: String, subtype: String)) -> Int? {
            if type == "*" { return subtype == "*" ? 0 : nil }
            guard type == mediaType.type else { return nil }
            if subtype == "*" { return 1 }
            return subtype == mediaType.subtype ? 2 : nil
        }
    }

    /// Empty when the caller sent no usable `Accept`: then every representation is acceptable.
    let ranges: [Range]

    init(_ value: String?) {
        ranges = (value ?? "").split(separator: ",").compactMap(Self.range)
    }

    /// The representation the caller prefers among `offered`, or nil when it accepts none of
    /// them (the caller of this decides between 406 and a default, §12.5.1). `offered` is in
    /// the server's order of preference, which breaks ties of weight and specificity.
    func preferred(among offered: [String]) -> String? {
        guard !ranges.isEmpty else { return offered.first }
        var best: (mediaType: String, weight: Double, specificity: Int)?
        for mediaType in offered {
            guard let parts = Self.split(mediaType.lowercased()) else { continue }
            // The most specific matching range decides; among equally specific ones, the first.
            var match: Range?
            var matchSpecificity = -1
            for range in ranges {
                if let specificity = range.specificity(for: parts), specificity > matchSpecificity {
                    match = range
                    matchSpecificity = specificity
                }
            }
            guard let match, match.weight > 0 else { continue }
            if let current = best, (current.weight, current.specificity) >= (match.weight, matchSpecificity) { continue }
            best = (mediaType, match.weight, matchSpecificity)
        }
        return best?.mediaType
    }

    private static func range(_ element: Substring) -> Range? {
        let fields = element.split(separator: ";", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let first = fields.first, let mediaRange = split(first.lowercased()), mediaRange.type != "*" || mediaRange.subtype == "*"
        else { return nil }
        var weight = 1.0
        for parameter in fields.dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, pair[0].lowercased() == "q" else { continue }
            guard let parsed = Self.weight(pair[1]) else { return nil }
            weight = parsed
        }
        return Range(type: mediaRange.type, subtype: mediaRange.subtype, weight: weight)
    }

    /// RFC 9110 §12.4.2: `0[.ddd]` or `1[.000]`, at most three decimals.
    private static func weight(_ text: String) -> Double? {
        guard let first = text.first, first == "0" || first == "1" else { return nil }
        let rest = text.dropFirst()
        guard rest.isEmpty || rest.first == "." else { return nil }
        let decimals = rest.dropFirst()
        guard decimals.count <= 3, decimals.allSatisfy({ ("0"..."9").contains($0) }) else { return nil }
        let fraction = Double(Int(String(decimals.padding(toLength: 3, withPad: "0", startingAt: 0))) ?? 0) / 1000
        guard first == "0" || fraction == 0 else { return nil }
        return first == "1" ? 1 : fraction
    }

    private static func split(_ mediaType: String) -> (type: String, subtype: String)? {
        let parts = mediaType.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty,
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && !$0.isWhitespace } })
        else { return nil }
        return (String(parts[0]), String(parts[1]))
    }
}
