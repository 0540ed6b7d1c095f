import CustosCore
import Foundation
import Hummingbird

/// `POST /oauth/token` (RFC 6749 §3.2): read the form strictly, authenticate the client,
/// hand the request to the core `TokenEndpoint`, write the JSON with `no-store`.
struct TokenController {
    let server: AuthorizationServer

    func register(on routes: ClientAuthenticatedRoutes) {
        routes.post("/oauth/token", credentials: .form, token)
    }

    @Sendable func token(_ request: Request, _ context: CustosRequestContext, _ call: ClientAuthenticatedRequest) async throws -> Response {
        let response = try await server.tokenEndpoint.exchange(
            TokenRequest(parameters: call.parameters, presentation: call.presentation),
            client: call.client
        )
        return try JSONResponse.make(response, noStore: true, headers: ClientCORSHeaders.headers(request, client: call.client.client))
    }
}

/// Reads a protocol endpoint's form body (RFC 6749 §3.2: POST, form-encoded).
enum ProtocolForm {
    static func read(_ request: Request, limit: Int) async throws -> [String: String] {
        guard RequestBody.mediaType(request) == "application/x-www-form-urlencoded" else {
            throw OAuthError.invalidRequest("the body must be application/x-www-form-urlencoded")
        }
        let buffer = try await RequestBody.collect(request, limit: limit)
        guard let text = String(validating: buffer.readableBytesView, as: UTF8.self) else {
            throw OAuthError.invalidRequest("the body is not valid UTF-8")
        }
        return try FormParameters.parse(text)
    }
}
