import Crypto
import Foundation

/// Encrypts private keys at rest with AES-256-GCM under a key derived from the master key.
/// The key id is authenticated as associated data, so a sealed key cannot be swapped
/// between rows unnoticed.
public struct KeySealer: Sendable {
    private let key: SymmetricKey

    public init(masterKey: MasterKey, purpose: String = "signing-key-encryption") {
        self.key = masterKey.derive(purpose: purpose)
    }

    public func seal(_ plaintext: [UInt8], kid: String) throws -> String {
        let box = try AES.GCM.seal(plaintext, using: key, authenticating: Data(kid.utf8))
        guard let combined = box.combined else { throw SealingError() }
        return Base64URL.encode(combined)
    }

    public func open(_ sealed: String, kid: String) throws -> [UInt8] {
        guard let combined = Base64URL.decode(sealed) else { throw SealingError() }
        let box = try AES.GCM.SealedBox(combined: combined)
        return [UInt8](try AES.GCM.open(box, using: key, authenticating: Data(kid.utf8)))
    }

    struct SealingError: Error {}
}
