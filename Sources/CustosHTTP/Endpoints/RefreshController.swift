import CustosCore
import Foundation
import Hummingbird

/// `POST /oauth/refresh` (swagger): the refresh_token grant with a JSON body
/// (`refresh_token`, `client_id`, optional `client_secret`, `scope`), answered in the flat
/// RFC 6749 §5.1 shape.
struct RefreshController {
    let server: AuthorizationServer

    func register(on routes: ClientAuthenticatedRoutes) {
        routes.post("/oauth/refresh", credentials: .formOrJSON, refresh)
    }

    @Sendable func refresh(_ request: Request, _ context: CustosRequestContext, _ call: ClientAuthenticatedRequest) async throws -> Response {
        var parameters = call.parameters
        parameters["grant_type"] = GrantType.refreshToken.rawValue
        let response = try await server.tokenEndpoint.exchange(
            TokenRequest(parameters: parameters, presentation: call.presentation),
            client: call.client
        )
        return try JSONResponse.make(response, noStore: true, headers: ClientCORSHeaders.headers(request, client: call.client.client))
    }
}
