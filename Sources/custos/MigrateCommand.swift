import ArgumentParser
import CustosCore
import CustosStorage

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Bring the database schema up to date.")

    @OptionGroup var runtime: RuntimeOptions

    func run() async throws {
        let logger = runtime.makeLogger()
        let storage = try await runtime.location.open(logger: logger)
        try await storage.migrate()
        try await storage.close()
        print("The database schema is up to date.")
    }
}
