import CustosCore
import Foundation
import Hummingbird

/// `GET /oauth/consents` and `DELETE /oauth/consents/{id}` (swagger): the signed-in user's
/// consents, by the `account` token of a first-party app (`AccountTokenAuthenticator`): no
/// other client's token of the user may read or withdraw them. Withdrawing one revokes the
/// client's tokens for the user.
struct ConsentsAPIController {
    let server: AuthorizationServer

    func register(on group: RouterGroup<CustosRequestContext>) {
        group.get("/oauth/consents", use: list)
        group.delete("/oauth/consents/:id", use: withdraw)
    }

    @Sendable func list(_ request: Request, _ context: CustosRequestContext) async throws -> Response {
        let user = try await server.accountAuthenticator.authenticate(bearer: AdminRoutes.bearerToken(request)).user
        let consents = try await server.consents.consents(userID: user.id)
        let page = Page(items: consents, total: consents.count, request: PageRequest(page: 1, pageSize: PageRequest.maximumSize))
        return try JSONResponse.make(ListEnvelope(page, message: "consents listed") { ConsentItem(consent: $0) })
    }

    @Sendable func withdraw(_ request: Request, _ context: CustosRequestContext) async throws -> Response {
        let user = try await server.accountAuthenticator.authenticate(bearer: AdminRoutes.bearerToken(request)).user
        try await server.consents.withdraw(id: try context.parameters.require("id"), userID: user.id)
        return Response(status: .noContent)
    }
}
