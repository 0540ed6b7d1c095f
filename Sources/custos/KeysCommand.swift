import ArgumentParser
import CustosCore
import Foundation

struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "List or rotate the signing keys.",
        subcommands: [List.self, Rotate.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List signing keys (public information only).")
        @OptionGroup var runtime: RuntimeOptions

        func run() async throws {
            try await runtime.withServer { server in
                for key in try await server.keyRotation.list() {
                    print("\(key.kid)\t\(key.algorithm.rawValue)\t\(key.status.rawValue)\tactivates \(key.activatesAt)")
                }
            }
        }
    }

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a new signing key, published now and signing after the announcement period."
        )
        @OptionGroup var runtime: RuntimeOptions
        @Option(help: "ES256, RS256, PS256 or EdDSA (default: the configured algorithm).") var algorithm: String?
        @Flag(help: "Sign with the new key at once (after a key compromise).") var now = false

        func run() async throws {
            var chosen: SigningAlgorithm?
            if let algorithm {
                guard let parsed = SigningAlgorithm(rawValue: algorithm) else { throw ValidationError("unknown algorithm \(algorithm)") }
                chosen = parsed
            }
            try await runtime.withServer { server in
                let key = try await server.keyRotation.rotate(algorithm: chosen, immediately: now)
                print("\(key.kid)\t\(key.algorithm.rawValue)\tactivates \(key.activatesAt)")
            }
        }
    }
}
