import Foundation

/// A distinguished name in its RFC 4514 string form, parsed far enough to compare two of them
/// as RFC 8705 §2.1.2 asks for `tls_client_auth_subject_dn` ("the expected subject distinguished
/// name ... as defined in RFC 4514"): RDN by RDN, attribute types case-insensitively, values after
/// unescaping with case and runs of whitespace ignored (the `caseIgnoreMatch` rule of RFC 4517
/// §4.2.11 that CN, O, OU, C, L and ST use). A multi-valued RDN (`+`) compares as a set.
public struct DistinguishedName: Sendable, Equatable {
    /// Each RDN as its sorted, normalised `TYPE=value` pairs, in the string's order.
    let relativeNames: [[String]]

    /// Parses an RFC 4514 string; nil when it is empty or not of that form.
    public init?(_ text: String) {
        var names: [[String]] = []
        var attributes: [String] = []
        var type = ""
        var value: [UInt8] = []
        var readingValue = false
        var characters = Array(text)[...]
        func finishAttribute() -> Bool {
            let name = type.trimmingCharacters(in: .whitespaces).uppercased()
            guard readingValue, !name.isEmpty else { return false }
            attributes.append(name + "=" + Self.normalised(String(decoding: value, as: UTF8.self)))
            type = ""
            value = []
            readingValue = false
            return true
        }
        while let character = characters.popFirst() {
            switch character {
            case "\\" where readingValue:
                // RFC 4514 §2.4: `\` before a special character, or two hex digits of a UTF-8 byte.
                guard let next = characters.popFirst() else { return nil }
                if next.isHexDigit, let low = characters.first, low.isHexDigit {
                    characters.removeFirst()
                    guard let byte = UInt8(String([next, low]), radix: 16) else { return nil }
                    value.append(byte)
                } else {
                    value.append(contentsOf: Array(String(next).utf8))
                }
            case "=" where !readingValue:
                readingValue = true
            case "+":
                guard finishAttribute() else { return nil }
            case ",", ";":
                guard finishAttribute() else { return nil }
                names.append(attributes.sorted())
                attributes = []
            default:
                if readingValue { value.append(contentsOf: Array(String(character).utf8)) } else { type.append(character) }
            }
        }
        guard finishAttribute() else { return nil }
        names.append(attributes.sorted())
        relativeNames = names
    }

    private static func normalised(_ value: String) -> String {
        value.split(whereSeparator: \.isWhitespace).joined(separator: " ").lowercased()
    }
}
