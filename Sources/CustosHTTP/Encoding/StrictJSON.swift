import Foundation

/// Checks what Foundation's JSON decoder lets through: duplicate member names (it keeps the
/// first silently, so two parsers could see two different requests) and deep nesting (the
/// deep-nesting denial of service of CVE-2025-53864). Syntax itself is left to the decoder.
enum StrictJSON {
    static let maximumDepth = 32

    /// Returns a problem description, or nil when the document passes.
    static func problem(in bytes: [UInt8]) -> String? {
        var index = 0
        // One set of member names per open object; nil for arrays.
        var stack: [Set<String>?] = []
        var expectingKey = false
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                stack.append(byte == UInt8(ascii: "{") ? Set<String>() : nil)
                guard stack.count <= maximumDepth else { return "JSON nested deeper than \(maximumDepth) levels" }
                expectingKey = byte == UInt8(ascii: "{")
                index += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if !stack.isEmpty { stack.removeLast() }
                expectingKey = false
                index += 1
            case UInt8(ascii: ","):
                expectingKey = stack.last.map { $0 != nil } ?? false
                index += 1
            case UInt8(ascii: "\""):
                guard let end = endOfString(bytes, from: index) else { return nil }
                if expectingKey, case .some(.some(var names)) = stack.last {
                    let raw = Array(bytes[index...end])
                    let name = (try? JSONDecoder().decode(String.self, from: Data(raw))) ?? String(decoding: raw, as: UTF8.self)
                    guard names.insert(name).inserted else { return "duplicate member \"\(name)\"" }
                    stack[stack.count - 1] = names
                    expectingKey = false
                }
                index = end + 1
            default:
                index += 1
            }
        }
        return nil
    }

    /// Index of the closing quote of the string opening at `start`.
    private static func endOfString(_ bytes: [UInt8], from start: Int) -> Int? {
        var index = start + 1
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\\"): index += 2
            case UInt8(ascii: "\""): return index
            default: index += 1
            }
        }
        return nil
    }
}
