import CustosCore
import Foundation
import Testing

/// The master key file (rule 11): used when it exists, fatal when it cannot be used, created
/// (0600, exclusively) only when there is none; never replaced.
@Suite("Master key file")
struct MasterKeyFileTests {
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("custos-keyfile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func fingerprint(_ key: MasterKey) -> String { MasterKeyTests.fingerprint(key) }

    @Test("when no key file exists then one is created with mode 0600 and read back the same on the next start")
    func createdPrivately() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("custos.key").path
        let first = try MasterKeyFile(path: path).loadOrCreate()
        #expect(first.created)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let second = try MasterKeyFile(path: path).loadOrCreate()
        #expect(!second.created)
        #expect(Self.fingerprint(second.key) == Self.fingerprint(first.key))
        // No temporary file is left beside it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["custos.key"])
    }

    @Test("when the key file holds something that is not a key then start-up fails with a clear message and the file is untouched")
    func malformedIsFatal() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("custos.key").path
        for contents in ["not a key at all!", Data(repeating: 7, count: 16).base64EncodedString(), ""] {
            try Data(contents.utf8).write(to: URL(fileURLWithPath: path))
            #expect {
                try MasterKeyFile(path: path).loadOrCreate()
            } throws: { error in
                guard let error = error as? MasterKeyFileError, case .malformed = error else { return false }
                return error.description.contains(path) && error.description.contains("refusing to start")
            }
            #expect(try String(contentsOfFile: path, encoding: .utf8) == contents, "the file must not be replaced")
        }
    }

    @Test("when something unreadable (a directory) is at the key file's path then start-up fails and nothing is replaced")
    func unreadableIsFatal() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("custos.key").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        #expect {
            try MasterKeyFile(path: path).loadOrCreate()
        } throws: { error in
            guard let error = error as? MasterKeyFileError, case .unreadable = error else { return false }
            return error.description.contains(path) && error.description.contains("cannot be read")
        }
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue)
        // A dangling symbolic link exists too: it is not "no file", so no key is written through it.
        let link = directory.appendingPathComponent("dangling.key").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: directory.appendingPathComponent("elsewhere").path)
        #expect(throws: MasterKeyFileError.self) { try MasterKeyFile(path: link).loadOrCreate() }
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("elsewhere").path))
    }

    @Test("when several starts race for a missing key file then exactly one key is created and all of them use it")
    func racingStarts() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("custos.key").path
        let results = try await withThrowingTaskGroup(of: (String, Bool).self) { group in
            for _ in 0..<16 {
                group.addTask {
                    let loaded = try MasterKeyFile(path: path).loadOrCreate()
                    return (Self.fingerprint(loaded.key), loaded.created)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(Set(results.map(\.0)).count == 1, "every start must end up with the same key")
        #expect(results.filter(\.1).count == 1, "exactly one start created the file")
        let onDisk = try MasterKey(encoded: try String(contentsOfFile: path, encoding: .utf8))
        #expect(Self.fingerprint(onDisk) == results[0].0)
    }
}
