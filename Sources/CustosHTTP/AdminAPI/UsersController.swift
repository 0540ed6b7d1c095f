import CustosCore
import Foundation
import Hummingbird

/// `/admin/users…`: create, list, get, update (partial), delete (soft), set password,
/// disable and enable. Parse, call `UserManagement`, encode.
struct UsersController {
    typealias Context = CustosRequestContext
    let users: UserManagement
    let endSession: EndSession
    let bodyLimit: Int

    func register(on routes: AdminRoutes) {
        routes.on("/users", method: .get, list)
        routes.on("/users", method: .post, create)
        routes.on("/users/:user_id", method: .get, get)
        routes.on("/users/:user_id", method: .put, update)
        routes.on("/users/:user_id", method: .delete, delete)
        routes.on("/users/:user_id/password", method: .put, setPassword)
        routes.on("/users/:user_id/disable", method: .post, disable)
        routes.on("/users/:user_id/enable", method: .post, enable)
        routes.on("/users/:user_id/sessions", method: .delete, endSessions)
    }

    @Sendable func list(_ request: Request, _ context: Context, _ admin: AdminPrincipal) async throws -> Response {
        let query = request.uri.queryParameters
        var filter = UserFilter(
            email: query["email"].flatMap { $0.isEmpty ? nil : String($0) },
            username: query["username"].flatMap { $0.isEmpty ? nil : String($0) }
        )
        if let status = query["status"], !status.isEmpty { filter.status = try UserValidator.status(String(status)) }
        let page = try await users.list(filter: filter, page: try AdminQuery.page(request))
        return try JSONResponse.make(ListEnvelope(page, message: "users listed") { UserItem(user: $0) })
    }

    @Sendable func create(_ request: Request, _ context: Context, _ admin: AdminPrincipal) async throws -> Response {
        let body = try await AdminJSONBody.decode(UserRequestBody.self, from: request, limit: bodyLimit)!
        let user = try await users.create(body.request(existing: nil), by: actor(admin, context))
        return try JSONResponse.make(DataEnvelope(UserItem(user: user), message: "user created"), status: .created)
    }

    @Sendable func get(_ request: Request, _ context: Context, _ admin: AdminPrincipal) async throws -> Response {
        let user = try await users.user(try userID(context))
        return try JSONResponse.make(DataEnvelope(UserItem(user: user), message: "user found"))
    }

    @Sendable func update(_ request: Request, _ context: Context, _ admin: AdminPrincipal) async throws -> Response {
        let id = try userID(context)
        let existing = try await users.user(id)
        let body = try await AdminJSONBody.decode(UserRequestBody.self, from: request, limit: bodyLimit)!
        let user = try await users.update(id, with: body.request(existing: existing.profile), by: actor(admin, context))
        return try JSONResponse.make(DataEnvelope(UserItem(user: user), message: "user updated"))
    }

    @Sendable func delete(_ request: Request, _ context: Context, _ admin: AdminPrincipal) async throws -> Response {
        try await users.delete(try userID(context), by: actor(admin, context))
        return Response(status: .noContent)
    }

    @Sendable func setPassword(_ request: Request, _ context: Context, _ admin: AdminPrincipal) async throws -> Response {
        let body = try await AdminJSONBody.decode(PasswordBody.self, from: request, limit: bodyLimit)!
        guard let password = body.password else { throw AdminError.invalidField(field: "password", message: "is required") }
        try await users.setPassword(try userID(context), password: password, by: actor(admin, context))
        return Response(status: .noContent)
    }

    @Sendable func disable(_ request: Request, _ context: Context, _ admin: AdminPrincipal) async throws -> Response {
        let user = try await users.setStatus(try userID(context), .disabled, by: actor(admin, context))
        return try JSONResponse.make(DataEnvelope(UserItem(user: user), message: "user disabled"))
    }

    @Sendable func enable(_ request: Request, _ context: Context, _ admin: AdminPrincipal) async throws -> Response {
        let user = try await users.setStatus(try userID(context), .active, by: actor(admin, context))
        return try JSONResponse.make(DataEnvelope(UserItem(user: user), message: "user enabled"))
    }

    /// Ends every browser session of the user; clients are told over the back channel.
    @Sendable func endSessions(_ request: Request, _ context: Context, _ admin: AdminPrincipal) async throws -> Response {
        let user = try await users.user(try userID(context))
        try await endSession.logoutEverywhere(userID: user.id)
        return Response(status: .noContent)
    }

    private func userID(_ context: Context) throws -> String {
        try context.parameters.require("user_id")
    }

    private func actor(_ admin: AdminPrincipal, _ context: Context) -> AuditActor {
        AuditActor(type: "client", id: admin.clientID, ip: context.remoteIP)
    }
}
