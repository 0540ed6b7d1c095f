import Crypto
import Foundation

/// The one secret an operator must keep: every other server key (key encryption, the client
/// secret digest key) is derived from it with HKDF, one purpose each.
public struct MasterKey: Sendable {
    public static let byteCount = 32
    private let key: SymmetricKey

    public init(bytes: [UInt8]) throws(MasterKeyError) {
        guard bytes.count >= Self.byteCount else { throw .tooShort }
        self.key = SymmetricKey(data: bytes)
    }

    /// Accepts base64, base64url or hex text of at least 32 bytes.
    public init(encoded text: String) throws(MasterKeyError) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.count == 64, let bytes = Self.hexBytes(trimmed) {
            try self.init(bytes: bytes)
        } else if let data = Data(base64Encoded: trimmed) {
            try self.init(bytes: [UInt8](data))
        } else if let bytes = Base64URL.decode(trimmed) {
            try self.init(bytes: bytes)
        } else {
            throw .unreadable
        }
    }

    public static func generate() -> (key: MasterKey, encoded: String) {
        let bytes = SecureRandom.bytes(byteCount)
        // 32 bytes always satisfy the length check.
        let key = try! MasterKey(bytes: bytes)
        return (key, Data(bytes).base64EncodedString())
    }

    public func derive(purpose: String) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(
            inputKeyMaterial: key,
            salt: Data("custos".utf8),
            info: Data("custos/v1/\(purpose)".utf8),
            outputByteCount: 32
        )
    }

    private static func hexBytes(_ text: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            guard let byte = UInt8(text[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        return bytes
    }
}

public enum MasterKeyError: Error, CustomStringConvertible {
    case tooShort
    case unreadable
    public var description: String {
        switch self {
        case .tooShort: "the master key must be at least 32 bytes"
        case .unreadable: "the master key must be base64 or hex text"
        }
    }
}
