import CustosCore
import Foundation
import Hummingbird

/// `/admin/oauth/registration-tokens…`: initial access tokens for dynamic registration, each
/// with the policy its registrations get (rule 3). Parse, call `RegistrationTokenManagement`,
/// encode; no rule lives here.
struct RegistrationTokensController {
    typealias Context = CustosRequestContext

    let tokens: RegistrationTokenManagement
    let bodyLimit: Int

    func register(on routes: AdminRoutes) {
        routes.on("/oauth/registration-tokens", method: .get, list)
        routes.on("/oauth/registration-tokens", method: .post, create)
        routes.on("/oauth/registration-tokens/:token_id", method: .delete, delete)
    }

    @Sendable func create(_ request: Request, _ context: Context, _ admin: AdminPrincipal) async throws -> Response {
        let body = try await AdminJSONBody.decode(RegistrationTokenRequestBody.self, from: request, limit: bodyLimit, optional: true)
        let created = try await tokens.create(body?.request ?? .init(), by: actor(admin, context))
        return try JSONResponse.make(
            DataEnvelope(RegistrationTokenItem(record: created.record, token: created.token), message: "registration token created"),
            status: .created,
            noStore: true
        )
    }

    @Sendable func list(_ request: Request, _ context: Context, _ admin: AdminPrincipal) async throws -> Response {
        let page = try await tokens.list(page: try AdminQuery.page(request))
        return try JSONResponse.make(ListEnvelope(page, message: "registration tokens listed") { RegistrationTokenItem(record: $0) })
    }

    @Sendable func delete(_ request: Request, _ context: Context, _ admin: AdminPrincipal) async throws -> Response {
        try await tokens.delete(try context.parameters.require("token_id"), by: actor(admin, context))
        return Response(status: .noContent)
    }

    private func actor(_ admin: AdminPrincipal, _ context: Context) -> AuditActor {
        AuditActor(type: "client", id: admin.clientID, ip: context.remoteIP)
    }
}
