import ArgumentParser
import CustosCore
import Foundation

/// Operator commands that work on the database directly, for use without a token.
struct AdminCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin", abstract: "Administer Custos directly on its database.",
        subcommands: [ClientsCommand.self])

    struct ClientsCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "clients", abstract: "List OAuth clients.")

        @OptionGroup var runtime: RuntimeOptions

        @Option(help: "Only clients whose name contains this text.")
        var name: String?

        func run() async throws {
            let logger = runtime.makeLogger()
            let server = try await runtime.openServer(defaultIssuer: "http://127.0.0.1:8080", logger: logger)
            var page = 1
            while true {
                let result = try await server.clients.list(nameContains: name, status: nil, page: PageRequest(page: page, pageSize: 100))
                for client in result.items {
                    print("\(client.clientID)\t\(client.status.rawValue)\t\(client.name)")
                }
                guard result.hasNext else { break }
                page += 1
            }
            try await server.storage.close()
        }
    }
}
