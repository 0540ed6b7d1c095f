import Foundation
import Hummingbird

/// Strict `application/x-www-form-urlencoded` parsing for OAuth bodies. Hummingbird's form
/// decoder is lenient; OAuth is not: a repeated parameter is `invalid_request` (RFC 6749 §3.1),
/// and a parameter sent without a value counts as omitted.
enum FormParameters {
    static func parse(_ body: String) throws(OAuthWireError) -> [String: String] {
        var result: [String: String] = [:]
        for pair in body.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(parts[0]), let value = decode(parts.count > 1 ? parts[1] : "") else {
                throw .invalidRequest("the request body is not valid form encoding")
            }
            guard !name.isEmpty else { continue }
            guard result[name] == nil else { throw .invalidRequest("the parameter \(name) is repeated") }
            if !value.isEmpty { result[name] = value }
        }
        return result
    }

    /// `+` is a space, then percent-decoding; nil for malformed escapes or invalid UTF-8.
    static func decode(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
