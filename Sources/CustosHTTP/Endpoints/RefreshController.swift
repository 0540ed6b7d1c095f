import CustosCore
import Foundation
import Hummingbird

/// `POST /oauth/refresh` (swagger): the refresh_token grant with a JSON body
/// (`refresh_token`, `client_id`, optional `client_secret`, `scope`), answered in the flat
/// RFC 6749 §5.1 shape.
struct RefreshController {
    let server: AuthorizationServer
    let bodyLimit: Int

    func register(on group: RouterGroup<CustosRequestContext>) {
        group.post("/oauth/refresh", use: refresh)
    }

    @Sendable func refresh(_ request: Request, _ context: CustosRequestContext) async throws -> Response {
        var parameters = try await ProtocolBody.read(request, limit: bodyLimit)
        parameters["grant_type"] = GrantType.refreshToken.rawValue
        let client = try await ClientRequestAuthentication.authenticate(request, parameters: parameters, server: server, context: context)
        let response = try await server.tokenEndpoint.exchange(TokenRequest(parameters: parameters), client: client)
        return try JSONResponse.make(response, noStore: true, headers: ClientRequestAuthentication.corsHeaders(request, client: client.client))
    }
}
