import Crypto
import CryptoExtras
import Foundation
import Synchronization

/// Hashes passwords with scrypt (swift-crypto) in PHC string format,
/// `$scrypt$ln=17,r=8,p=1$<salt>$<hash>` (base64 without padding), so the parameters travel
/// with each hash and can be raised later: `verify` reports when a hash is weaker than the
/// current parameters, and the login re-hashes it.
public final class PasswordHasher: Sendable {
    /// scrypt cost parameters. OWASP's recommendation is N = 2^17, r = 8, p = 1.
    public struct Parameters: Sendable, Equatable {
        public var logN: Int
        public var r: Int
        public var p: Int

        public init(logN: Int, r: Int, p: Int) {
            self.logN = logN
            self.r = r
            self.p = p
        }

        public static let owasp = Parameters(logN: 17, r: 8, p: 1)
        /// For tests only: the same algorithm at a cost that keeps a suite fast.
        public static let testing = Parameters(logN: 10, r: 8, p: 1)
    }

    public static let saltLength = 16
    public static let hashLength = 32
    public let parameters: Parameters
    /// A hash of a random password under the current parameters, verified when the user does
    /// not exist so that a missing account costs the same time as a wrong password. Made on
    /// first use, so that starting the server does not pay for it.
    private let decoy = Mutex<String?>(nil)
    /// Where the server runs the hashing (`hashing`, `verifying`, `verifyingDecoy`): never
    /// on the request executor.
    public let pool: PasswordHashingPool
    private let derivationCount = Atomic<Int>(0)

    public init(parameters: Parameters = .owasp, pool: PasswordHashingPool = PasswordHashingPool()) {
        self.parameters = parameters
        self.pool = pool
    }

    /// How many scrypt derivations this hasher has run: lets tests prove that a refused
    /// request cost no hashing.
    public var derivations: Int { derivationCount.load(ordering: .relaxed) }

    /// `hash` on the pool. Throws `PasswordHashingBusy` when the pool is full.
    public func hashing(_ password: String) async throws -> String {
        try await pool.run { try self.hash(password) }
    }

    /// `verify` on the pool. Throws `PasswordHashingBusy` when the pool is full.
    public func verifying(_ password: String, against phc: String) async throws -> Verification {
        try await pool.run { self.verify(password, against: phc) }
    }

    /// `verifyDecoy` on the pool. Throws `PasswordHashingBusy` when the pool is full.
    public func verifyingDecoy(_ password: String) async throws {
        try await pool.run { self.verifyDecoy(password) }
    }

    public func hash(_ password: String) throws -> String {
        derivationCount.add(1, ordering: .relaxed)
        return try Self.hash(password, parameters: parameters)
    }

    public struct Verification: Sendable, Equatable {
        public let matches: Bool
        /// The stored hash uses weaker parameters than the current ones.
        public let needsRehash: Bool
    }

    public func verify(_ password: String, against phc: String) -> Verification {
        guard let parsed = Self.parse(phc),
            let derived = try? Self.derive(password, salt: parsed.salt, parameters: parsed.parameters, length: parsed.hash.count)
        else { return Verification(matches: false, needsRehash: false) }
        derivationCount.add(1, ordering: .relaxed)
        let matches = ConstantTimeComparison.equals(derived, parsed.hash)
        let weaker =
            parsed.parameters.logN < parameters.logN || parsed.parameters.r < parameters.r || parsed.parameters.p < parameters.p
        return Verification(matches: matches, needsRehash: matches && weaker)
    }

    /// Spends one verification's time without any account.
    public func verifyDecoy(_ password: String) {
        let decoy = self.decoy.withLock { decoy in
            if decoy == nil { decoy = try? Self.hash(Base64URL.encode(SecureRandom.bytes(16)), parameters: parameters) }
            return decoy ?? ""
        }
        _ = verify(password, against: decoy)
    }

    static func hash(_ password: String, parameters: Parameters) throws -> String {
        let salt = SecureRandom.bytes(saltLength)
        let hash = try derive(password, salt: salt, parameters: parameters, length: hashLength)
        return "$scrypt$ln=\(parameters.logN),r=\(parameters.r),p=\(parameters.p)$\(phcBase64(salt))$\(phcBase64(hash))"
    }

    static func derive(_ password: String, salt: [UInt8], parameters: Parameters, length: Int) throws -> [UInt8] {
        let key = try KDF.Scrypt.deriveKey(
            from: Array(password.utf8),
            salt: salt,
            outputByteCount: length,
            rounds: 1 << parameters.logN,
            blockSize: parameters.r,
            parallelism: parameters.p
        )
        return key.withUnsafeBytes { [UInt8]($0) }
    }

    static func parse(_ phc: String) -> (parameters: Parameters, salt: [UInt8], hash: [UInt8])? {
        let fields = phc.split(separator: "$", omittingEmptySubsequences: false)
        guard fields.count == 5, fields[0].isEmpty, fields[1] == "scrypt" else { return nil }
        var values: [String: Int] = [:]
        for pair in fields[2].split(separator: ",") {
            let parts = pair.split(separator: "=")
            guard parts.count == 2, let value = Int(parts[1]) else { return nil }
            values[String(parts[0])] = value
        }
        guard let logN = values["ln"], let r = values["r"], let p = values["p"], (1...24).contains(logN), (1...64).contains(r),
            (1...16).contains(p), let salt = phcDecode(fields[3]), let hash = phcDecode(fields[4]), hash.count >= 16
        else { return nil }
        return (Parameters(logN: logN, r: r, p: p), salt, hash)
    }

    /// PHC strings use standard base64 without padding.
    static func phcBase64(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "=", with: "")
    }

    static func phcDecode(_ text: Substring) -> [UInt8]? {
        var padded = String(text)
        while padded.count % 4 != 0 { padded += "=" }
        return Data(base64Encoded: padded).map { [UInt8]($0) }
    }
}
