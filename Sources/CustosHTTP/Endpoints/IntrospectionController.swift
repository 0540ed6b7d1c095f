import CustosCore
import Foundation
import Hummingbird

/// `POST /oauth/introspect` (RFC 7662) and the swagger's `POST /internal/oauth/introspect`
/// (JSON in, envelope out). The caller must be an authenticated client or hold an admin
/// token (RFC 7662 §2.1: no anonymous token scanning). Anything not active, or not the
/// caller's to see (`TokenIntrospector.Caller`), is exactly `{"active": false}`; both
/// endpoints apply the same rule.
struct IntrospectionController {
    let server: AuthorizationServer
    let bodyLimit: Int

    /// The two endpoints authenticate callers the same two ways and answer failures each in
    /// its own format: RFC 6749 §5.2 JSON on the protocol endpoint, the admin envelope
    /// (401 `unauthenticated`) on the internal one, whose body carries no credentials.
    func register(protocolEndpoints: ClientAuthenticatedRoutes, internalEndpoints: ClientAuthenticatedRoutes) {
        protocolEndpoints.post(
            "/oauth/introspect",
            credentials: .form,
            orAdministrator: AdministratorAlternative(
                missingCredentials: nil,
                administrator: { _ in OAuthError(.invalidToken, "the bearer token is not an administrator token") },
                client: { $0 }
            ),
            introspect
        )
        internalEndpoints.post(
            "/internal/oauth/introspect",
            credentials: .headersOnly,
            orAdministrator: AdministratorAlternative(
                missingCredentials: AccessDenied.unauthenticated("client or administrator authentication is required"),
                administrator: { $0 },
                client: { _ in AccessDenied.unauthenticated("client authentication failed") }
            ),
            internalIntrospect
        )
    }

    @Sendable func introspect(_ request: Request, _ context: CustosRequestContext, _ call: IntrospectionCallerRequest) async throws -> Response {
        let caller: TokenIntrospector.Caller
        switch call.caller {
        case .administrator: caller = .administrator
        case .client(let client, _):
            // A client_id alone proves nothing: public clients may not scan tokens (RFC 7662 §2.1, §4).
            guard client.method != .none else { throw OAuthError.invalidClient("introspection requires client authentication") }
            caller = .authenticated(client.client)
        }
        guard let token = call.parameters["token"] else { throw OAuthError.invalidRequest("token is required") }
        guard let result = try await server.introspector.introspect(token, by: caller) else {
            return try JSONResponse.make(Inactive(), noStore: true)
        }
        return try JSONResponse.make(result, noStore: true)
    }

    struct Inactive: Encodable { let active = false }

    struct InternalBody: Decodable { var token: String? }

    struct InternalResult: Encodable {
        let active: Bool
        let clientID: String
        let userID: String
        let scope: String
        let exp: Int64
        enum CodingKeys: String, CodingKey {
            case active, scope, exp
            case clientID = "client_id"
            case userID = "user_id"
        }
    }

    @Sendable func internalIntrospect(
        _ request: Request,
        _ context: CustosRequestContext,
        _ call: IntrospectionCallerRequest
    ) async throws -> Response {
        let caller: TokenIntrospector.Caller
        switch call.caller {
        case .administrator: caller = .administrator
        case .client(let client, _):
            guard client.method != .none else { throw AccessDenied.unauthenticated("introspection requires client authentication") }
            caller = .authenticated(client.client)
        }
        let body = try await AdminJSONBody.decode(InternalBody.self, from: request, limit: bodyLimit)!
        guard let token = body.token, !token.isEmpty else { throw AdminError.invalidField(field: "token", message: "is required") }
        let result = try await server.introspector.introspect(token, by: caller)
        let payload = InternalResult(
            active: result != nil,
            clientID: result?.clientID ?? "",
            userID: result?.userID ?? "",
            scope: result?.scope ?? "",
            exp: result?.exp ?? 0
        )
        return try JSONResponse.make(DataEnvelope(payload, message: "token introspected"), noStore: true)
    }
}
