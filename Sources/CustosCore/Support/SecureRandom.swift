import Crypto
import Foundation

/// Random bytes from the operating system's CSPRNG (swift-crypto's `SymmetricKey` draws from it).
public enum SecureRandom {
    public static func bytes(_ count: Int) -> [UInt8] {
        SymmetricKey(size: SymmetricKeySize(bitCount: count * 8)).withUnsafeBytes { [UInt8]($0) }
    }
}
