import CustosCore
import Foundation
import Hummingbird

/// `POST /oauth/pushed-authorization` (RFC 9126 §2): the client authenticates as at the token
/// endpoint, the body is a form (the RFC) or the swagger's flat JSON object; the answer is
/// 201 with `request_uri` and `expires_in`, `Cache-Control: no-store` (§2.2). Other methods are
/// 405 (§2.3), an oversized body 413 and a client past its rate 429 with `Retry-After`.
struct PushedAuthorizationController {
    static let path = "/oauth/pushed-authorization"

    let server: AuthorizationServer

    func register(on routes: ClientAuthenticatedRoutes) {
        routes.post(RouterPath(Self.path), credentials: .formOrJSON, push)
    }

    @Sendable func push(_ request: Request, _ context: CustosRequestContext, _ call: ClientAuthenticatedRequest) async throws -> Response {
        // The client's credentials are not authorization parameters: they stay out of the
        // stored request (RFC 9126 §2.1 authenticates the push, the request is the rest).
        let parameters = call.parameters.filter { !Self.credentialParameters.contains($0.key) }
        let pushed = try await server.pushedAuthorization.push(parameters, client: call.client, presentation: call.presentation)
        return try JSONResponse.make(pushed, status: .created, noStore: true)
    }

    static let credentialParameters: Set<String> = ["client_secret", "client_assertion", "client_assertion_type"]
}
