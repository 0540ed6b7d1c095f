import ArgumentParser
import CustosCore
import Foundation

/// Operator commands that work on the database directly, for use without a token.
struct AdminCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin",
        abstract: "Administer Custos directly on its database.",
        subcommands: [ClientsCommand.self, UserCommand.self, RegistrationTokenCommand.self]
    )

    struct ClientsCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "clients", abstract: "List OAuth clients.")

        @OptionGroup var runtime: RuntimeOptions

        @Option(help: "Only clients whose name contains this text.")
        var name: String?

        func run() async throws {
            try await runtime.withServer { server in
                var page = 1
                while true {
                    let result = try await server.clients.list(
                        nameContains: name,
                        status: nil,
                        page: PageRequest(page: page, pageSize: 100)
                    )
                    for client in result.items { print("\(client.clientID)\t\(client.status.rawValue)\t\(client.name)") }
                    guard result.hasNext else { break }
                    page += 1
                }
            }
        }
    }
}

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Manage users.",
        subcommands: [Add.self, List.self, SetPassword.self, Disable.self]
    )

    static let operatorActor = AuditActor(type: "operator", id: "cli")

    /// Reads a password from standard input (first line), so it never appears in a process list.
    static func readPassword() throws -> String {
        guard let line = readLine(strippingNewline: true), !line.isEmpty else {
            throw ValidationError("give the password on standard input")
        }
        return line
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a user; the password is read from standard input."
        )
        @OptionGroup var runtime: RuntimeOptions
        @Option var username: String
        @Option var email: String
        @Option(help: "Display name.") var name: String?
        @Option(help: "Roles, comma separated (admin, user).") var roles: String = "user"

        func run() async throws {
            let password = try UserCommand.readPassword()
            try await runtime.withServer { server in
                let user = try await server.users.create(
                    UserRequest(
                        username: username,
                        email: email,
                        password: password,
                        profile: UserProfile(name: name),
                        roles: roles.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                    ),
                    by: UserCommand.operatorActor
                )
                print(user.id)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users.")
        @OptionGroup var runtime: RuntimeOptions

        func run() async throws {
            try await runtime.withServer { server in
                var page = 1
                while true {
                    let result = try await server.users.list(filter: UserFilter(), page: PageRequest(page: page, pageSize: 100))
                    for user in result.items {
                        print("\(user.id)\t\(user.username)\t\(user.email)\t\(user.status.rawValue)\t\(user.roles.joined(separator: ","))")
                    }
                    guard result.hasNext else { break }
                    page += 1
                }
            }
        }
    }

    struct SetPassword: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-password",
            abstract: "Set a user's password, read from standard input."
        )
        @OptionGroup var runtime: RuntimeOptions
        @Argument(help: "User id or username.") var user: String

        func run() async throws {
            let password = try UserCommand.readPassword()
            try await runtime.withServer { server in
                try await server.users.setPassword(
                    try await UserCommand.resolve(user, in: server),
                    password: password,
                    by: UserCommand.operatorActor
                )
                print("password set")
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable a user: no more sign-ins.")
        @OptionGroup var runtime: RuntimeOptions
        @Argument(help: "User id or username.") var user: String

        func run() async throws {
            try await runtime.withServer { server in
                _ = try await server.users.setStatus(
                    try await UserCommand.resolve(user, in: server),
                    .disabled,
                    by: UserCommand.operatorActor
                )
                print("user disabled")
            }
        }
    }

    static func resolve(_ reference: String, in server: AuthorizationServer) async throws -> String {
        if let user = try await server.storage.user(id: reference, tenant: server.configuration.tenant) { return user.id }
        if let user = try await server.storage.user(login: reference, tenant: server.configuration.tenant) { return user.id }
        throw ValidationError("no user \(reference)")
    }
}

/// `custos admin registration-token create|list|delete`: the admin API's registration tokens
/// (rule 3) on the database directly.
struct RegistrationTokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registration-token",
        abstract: "Manage initial access tokens for dynamic registration.",
        subcommands: [Create.self, List.self, Delete.self]
    )

    static func line(_ token: RegistrationToken) -> String {
        [
            token.id, token.policy.scopes.joined(separator: " "), token.policy.grantTypes.map(\.rawValue).joined(separator: " "),
            ISO8601DateFormatter().string(from: token.expiresAt), token.maxUses.map(String.init) ?? "unlimited", String(token.uses),
        ].joined(separator: "\t")
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a registration token; prints its id, then the token (shown only this once)."
        )
        @OptionGroup var runtime: RuntimeOptions
        @Option(help: "Scopes its registrations may have, comma or space separated. Default: the standard OpenID scopes.")
        var scopes: String?
        @Option(help: "Grant types its registrations may have, comma separated. Default: authorization_code,refresh_token.")
        var grantTypes: String?
        @Option(help: "Lifetime in seconds. Default 86400.") var expiresIn: Int?
        @Option(help: "How many registrations it allows. Default unlimited.") var maxUses: Int?

        static func list(_ text: String?) -> [String]? {
            text.map { $0.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init) }
        }

        func run() async throws {
            try await runtime.withServer { server in
                let created = try await server.registrationTokens.create(
                    RegistrationTokenManagement.Request(
                        scopes: Self.list(scopes),
                        grantTypes: Self.list(grantTypes),
                        expiresIn: expiresIn,
                        maxUses: maxUses
                    ),
                    by: UserCommand.operatorActor
                )
                print(created.record.id)
                print(created.token)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List registration tokens: id, scopes, grant types, expiry, max uses, uses (never the token)."
        )
        @OptionGroup var runtime: RuntimeOptions

        func run() async throws {
            try await runtime.withServer { server in
                var page = 1
                while true {
                    let result = try await server.registrationTokens.list(page: PageRequest(page: page, pageSize: 100))
                    for token in result.items { print(RegistrationTokenCommand.line(token)) }
                    guard result.hasNext else { break }
                    page += 1
                }
            }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "End a registration token.")
        @OptionGroup var runtime: RuntimeOptions
        @Argument(help: "The token's id.") var id: String

        func run() async throws {
            try await runtime.withServer { server in
                try await server.registrationTokens.delete(id, by: UserCommand.operatorActor)
                print("registration token deleted")
            }
        }
    }
}
