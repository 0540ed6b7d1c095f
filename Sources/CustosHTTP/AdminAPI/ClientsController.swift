import CustosCore
import Foundation
import Hummingbird

/// `/admin/oauth/clients…`: the sixteen client-management operations of the swagger file.
/// Parse, call `ClientManagement`, encode; no rule lives here.
struct ClientsController {
    typealias Context = CustosRequestContext

    let clients: ClientManagement
    let bodyLimit: Int

    func register(on routes: AdminRoutes) {
        routes.on("/oauth/clients", method: .get, list)
        routes.on("/oauth/clients", method: .post, create)
        routes.on("/oauth/clients/:client_id", method: .get, get)
        routes.on("/oauth/clients/:client_id", method: .put, update)
        routes.on("/oauth/clients/:client_id", method: .delete, delete)
        routes.on("/oauth/clients/:client_id/audit-logs", method: .get, auditLogs)
        routes.on("/oauth/clients/:client_id/clone", method: .post, clone)
        routes.on("/oauth/clients/:client_id/rotate-secret", method: .post, rotateSecret)
        routes.on("/oauth/clients/:client_id/secrets", method: .get, secrets)
        routes.on("/oauth/clients/:client_id/secrets", method: .post, addSecret)
        routes.on("/oauth/clients/:client_id/secrets/:secret_id", method: .delete, deleteSecret)
        routes.on("/oauth/clients/:client_id/secrets/:secret_id/deactivate", method: .put, deactivateSecret)
        routes.on("/oauth/clients/:client_id/stats", method: .get, stats)
        routes.on("/oauth/clients/:client_id/tokens", method: .get, tokens)
        routes.on("/oauth/clients/:client_id/tokens", method: .delete, revokeTokens)
        routes.on("/oauth/tokens/user/:user_id", method: .delete, revokeUserTokens)
    }

    @Sendable func list(_ request: Request, _ context: Context, _ admin: AdminPrincipal) async throws -> Response {
        let query = request.uri.queryParameters
        let page = try await clients.list(
            nameContains: query["name"].map(String.init),
            status: query["status"].map(String.init),
            page: try AdminQuery.page(request)
        )
        return try JSONResponse.make(ListEnvelope(page, message: "clients listed") { ClientItem(client: $0) })
    }

    @Sendable func create(_ request: Request, _ context: Context, _ admin: AdminPrincipal) async throws -> Response {
        let body = try await AdminJSONBody.decode(ClientRequestBody.self, from: request, limit: bodyLimit)!
        let created = try await clients.create(body.registration, by: actor(admin, context))
        return try JSONResponse.make(
            DataEnvelope(try CreateClientResponse(created), message: "client created"),
            status: .created,
            noStore: true
        )
    }

    @Sendable func get(_ request: Request, _ context: Context, _ admin: AdminPrincipal) async throws -> Response {
        let client = try await clients.client(try clientID(context))
        return try JSONResponse.make(DataEnvelope(ClientItem(client: client), message: "client found"))
    }

    @Sendable func update(_ request: Request, _ context: Context, _ admin: AdminPrincipal) async throws -> Response {
        let id = try clientID(context)
        let body = try await AdminJSONBody.decode(ClientRequestBody.self, from: request, limit: bodyLimit)!
        let client = try await clients.update(id, with: body.registration, by: actor(admin, context))
        return try JSONResponse.make(DataEnvelope(ClientItem(client: client), message: "client updated"))
    }

    @Sendable func delete(_ request: Request, _ context: Context, _ admin: AdminPrincipal) async throws -> Response {
        try await clients.delete(try clientID(context), by: actor(admin, context))
        return Response(status: .noContent)
    }

    @Sendable func auditLogs(_ request: Request, _ context: Context, _ admin: AdminPrincipal) async throws -> Response {
        let page = try await clients.auditLog(try clientID(context), page: try AdminQuery.page(request))
        return try JSONResponse.make(ListEnvelope(page, message: "audit log listed") { AuditItem(event: $0) })
    }

    @Sendable func clone(_ request: Request, _ context: Context, _ admin: AdminPrincipal) async throws -> Response {
        let created = try await clients.clone(try clientID(context), by: actor(admin, context))
        return try JSONResponse.make(
            DataEnvelope(try CreateClientResponse(created), message: "client cloned"),
            status: .created,
            noStore: true
        )
    }

    @Sendable func rotateSecret(_ request: Request, _ context: Context, _ admin: AdminPrincipal) async throws -> Response {
        let rotated = try await clients.rotateSecret(try clientID(context), by: actor(admin, context))
        let body = RotatedSecretResponse(
            clientID: rotated.client.clientID,
            newSecret: rotated.secret.value,
            rotatedAt: Timestamp.string(rotated.secret.record.createdAt)
        )
        return try JSONResponse.make(DataEnvelope(body, message: "client secret rotated"), noStore: true)
    }

    @Sendable func secrets(_ request: Request, _ context: Context, _ admin: AdminPrincipal) async throws -> Response {
        let secrets = try await clients.secrets(try clientID(context))
        return try JSONResponse.make(DataEnvelope(SecretList(secrets: secrets.map(SecretItem.init)), message: "secrets listed"))
    }

    @Sendable func addSecret(_ request: Request, _ context: Context, _ admin: AdminPrincipal) async throws -> Response {
        let body = try await AdminJSONBody.decode(AddSecretBody.self, from: request, limit: bodyLimit, optional: true)
        let issued = try await clients.addSecret(try clientID(context), description: body?.description, by: actor(admin, context))
        return try JSONResponse.make(
            DataEnvelope(CreatedSecretResponse(issued), message: "client secret created"),
            status: .created,
            noStore: true
        )
    }

    @Sendable func deleteSecret(_ request: Request, _ context: Context, _ admin: AdminPrincipal) async throws -> Response {
        try await clients.deleteSecret(
            try clientID(context),
            secretID: try context.parameters.require("secret_id"),
            by: actor(admin, context)
        )
        return Response(status: .noContent)
    }

    @Sendable func deactivateSecret(_ request: Request, _ context: Context, _ admin: AdminPrincipal) async throws -> Response {
        let secret = try await clients.deactivateSecret(
            try clientID(context),
            secretID: try context.parameters.require("secret_id"),
            by: actor(admin, context)
        )
        return try JSONResponse.make(DataEnvelope(SecretItem(secret: secret), message: "client secret deactivated"))
    }

    @Sendable func stats(_ request: Request, _ context: Context, _ admin: AdminPrincipal) async throws -> Response {
        let id = try clientID(context)
        let statistics = try await clients.statistics(id)
        let body = ClientStatsResponse(
            clientID: id,
            activeTokens: statistics.activeAccessTokens,
            activeRefreshTokens: statistics.activeRefreshTokens,
            lastRequestAt: Timestamp.string(statistics.lastIssuedAt)
        )
        return try JSONResponse.make(DataEnvelope(body, message: "client statistics"))
    }

    @Sendable func tokens(_ request: Request, _ context: Context, _ admin: AdminPrincipal) async throws -> Response {
        let page = try await clients.activeTokens(try clientID(context), page: try AdminQuery.page(request))
        return try JSONResponse.make(ListEnvelope(page, message: "active tokens listed", transform: TokenItem.init))
    }

    @Sendable func revokeTokens(_ request: Request, _ context: Context, _ admin: AdminPrincipal) async throws -> Response {
        let grace = try AdminQuery.integer(request, "grace_period") ?? 0
        let counts = try await clients.revokeTokens(try clientID(context), gracePeriod: grace, by: actor(admin, context))
        let body = RevocationResponse(
            revokedAccessTokens: counts.accessTokens,
            revokedRefreshTokens: counts.refreshTokens,
            gracePeriod: grace
        )
        return try JSONResponse.make(DataEnvelope(body, message: "client tokens revoked"))
    }

    @Sendable func revokeUserTokens(_ request: Request, _ context: Context, _ admin: AdminPrincipal) async throws -> Response {
        let counts = try await clients.revokeUserTokens(try context.parameters.require("user_id"), by: actor(admin, context))
        let body = RevocationResponse(
            revokedAccessTokens: counts.accessTokens,
            revokedRefreshTokens: counts.refreshTokens,
            gracePeriod: nil
        )
        return try JSONResponse.make(DataEnvelope(body, message: "user tokens revoked"))
    }

    private func clientID(_ context: Context) throws -> String {
        try context.parameters.require("client_id")
    }

    private func actor(_ admin: AdminPrincipal, _ context: Context) -> AuditActor {
        AuditActor(type: "client", id: admin.clientID, ip: context.remoteIP)
    }
}

/// Query parameters of admin lists: `page` from 1, `page_size` 1…100 (larger is capped).
enum AdminQuery {
    static func page(_ request: Request) throws -> PageRequest {
        let page = try integer(request, "page") ?? 1
        let size = try integer(request, "page_size") ?? PageRequest.defaultSize
        guard page >= 1 else { throw AdminError.invalidField(field: "page", message: "must be 1 or more") }
        guard size >= 1 else { throw AdminError.invalidField(field: "page_size", message: "must be 1 or more") }
        return PageRequest(page: page, pageSize: size)
    }

    static func integer(_ request: Request, _ name: String) throws -> Int? {
        guard let text = request.uri.queryParameters[Substring(name)], !text.isEmpty else { return nil }
        guard let value = Int(text) else { throw AdminError.invalidField(field: name, message: "must be an integer") }
        return value
    }
}
