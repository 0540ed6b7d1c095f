/// RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ), space-delimited on the wire.
public enum ScopeSyntax {
    public static func isValidToken(_ token: String) -> Bool {
        !token.isEmpty && token.utf8.allSatisfy { $0 == 0x21 || (0x23...0x5B).contains($0) || (0x5D...0x7E).contains($0) }
    }

    /// Splits a space-delimited scope string; nil when any token is malformed.
    public static func parse(_ value: String) -> [String]? {
        let tokens = value.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard tokens.allSatisfy(isValidToken) else { return nil }
        var seen = Set<String>()
        return tokens.filter { seen.insert($0).inserted }
    }
}
