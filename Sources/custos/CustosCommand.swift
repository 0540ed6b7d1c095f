import ArgumentParser

@main
struct CustosCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "custos",
        abstract: "An OAuth 2.1 / OpenID Connect authorization server.",
        subcommands: [ServeCommand.self, MigrateCommand.self, AdminCommand.self, KeysCommand.self],
        defaultSubcommand: ServeCommand.self
    )
}
