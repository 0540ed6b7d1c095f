import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The master key kept in a file beside a SQLite database (when `CUSTOS_MASTER_KEY` is not
/// set). Every signing key and client secret is sealed under the master key, so replacing it
/// loses them all: a file that exists is used or start-up fails, never overwritten. A new
/// key is written only when no file exists, to a private temporary file first and then
/// published with `link(2)`, which fails when the name exists: of two nodes starting at
/// once, exactly one key wins and the other reads it, complete.
public struct MasterKeyFile: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// The key in the file, or a new one written there (mode 0600) when there is no file.
    /// `created` tells which.
    public func loadOrCreate() throws(MasterKeyFileError) -> (key: MasterKey, created: Bool) {
        if let key = try load() { return (key, false) }
        let (key, encoded) = MasterKey.generate()
        if try publish(Array((encoded + "\n").utf8)) { return (key, true) }
        // Another process published its key between our look and our link: use that one.
        guard let theirs = try load() else { throw .unreadable(path: path, reason: "it vanished while starting") }
        return (theirs, false)
    }

    /// The key in the file; nil only when no file (or link) exists at the path.
    func load() throws(MasterKeyFileError) -> MasterKey? {
        var status = stat()
        if lstat(path, &status) != 0 {
            let code = errno
            if code == ENOENT { return nil }
            throw .unreadable(path: path, reason: Self.describe(code))
        }
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            let reason = (status.st_mode & S_IFMT) == S_IFDIR ? "it is a directory" : "\(error.localizedDescription)"
            throw .unreadable(path: path, reason: reason)
        }
        do { return try MasterKey(encoded: text) } catch { throw .malformed(path: path, reason: error.description) }
    }

    /// Writes `contents` to a temporary file and links it to `path`; false when `path` exists.
    private func publish(_ contents: [UInt8]) throws(MasterKeyFileError) -> Bool {
        let temporary = path + ".tmp-" + Base64URL.encode(SecureRandom.bytes(9))
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .cannotCreate(path: path, reason: Self.describe(errno)) }
        defer { unlink(temporary) }
        // The mode given to open(2) is narrowed by the umask, never widened; be exact anyway.
        fchmod(descriptor, 0o600)
        var written = 0
        while written < contents.count {
            let result = contents[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if result < 0 {
                if errno == EINTR { continue }
                let code = errno
                close(descriptor)
                throw .cannotCreate(path: path, reason: Self.describe(code))
            }
            written += result
        }
        let synced = fsync(descriptor) == 0
        close(descriptor)
        guard synced else { throw .cannotCreate(path: path, reason: Self.describe(errno)) }
        if link(temporary, path) == 0 { return true }
        let code = errno
        if code == EEXIST { return false }
        throw .cannotCreate(path: path, reason: Self.describe(code))
    }

    static func describe(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}

public enum MasterKeyFileError: Error, CustomStringConvertible, Equatable {
    case unreadable(path: String, reason: String)
    case malformed(path: String, reason: String)
    case cannotCreate(path: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            "the master key file \(path) exists but cannot be read (\(reason)); refusing to start rather than replace it, "
                + "which would make every sealed signing key and client secret unusable. Fix its permissions or restore it."
        case .malformed(let path, let reason):
            "the master key file \(path) is malformed (\(reason)); refusing to start rather than replace it. "
                + "Restore the file from a backup, or set CUSTOS_MASTER_KEY."
        case .cannotCreate(let path, let reason):
            "cannot create the master key file \(path): \(reason)"
        }
    }
}
