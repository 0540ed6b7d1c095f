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

    func register(protocolEndpoints: RouterGroup<CustosRequestContext>, internalEndpoints: RouterGroup<CustosRequestContext>) {
        protocolEndpoints.post("/oauth/introspect", use: introspect)
        internalEndpoints.post("/internal/oauth/introspect", use: internalIntrospect)
    }

    @Sendable func introspect(_ request: Request, _ context: CustosRequestContext) async throws -> Response {
        let parameters = try await ProtocolForm.read(request, limit: bodyLimit)
        let caller = try await authenticateCaller(request, parameters: parameters, context: context)
        guard let token = parameters["token"] else { throw OAuthError.invalidRequest("token is required") }
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

    @Sendable func internalIntrospect(_ request: Request, _ context: CustosRequestContext) async throws -> Response {
        guard AdminRoutes.bearerToken(request) != nil || request.headers[.authorization] != nil else {
            throw AccessDenied.unauthenticated("client or administrator authentication is required")
        }
        let caller: TokenIntrospector.Caller
        if let bearer = AdminRoutes.bearerToken(request) {
            _ = try await server.adminAuthenticator.authenticate(bearer: bearer)
            caller = .administrator
        } else {
            let client: AuthenticatedClient
            do {
                client = try await ClientRequestAuthentication.authenticate(request, parameters: [:], server: server, context: context)
            } catch let limited as RateLimited {
                throw limited
            } catch {
                throw AccessDenied.unauthenticated("client authentication failed")
            }
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

    /// A client (any registered method) or an administrator's bearer token.
    private func authenticateCaller(
        _ request: Request,
        parameters: [String: String],
        context: CustosRequestContext
    ) async throws -> TokenIntrospector.Caller {
        if let bearer = AdminRoutes.bearerToken(request) {
            do {
                _ = try await server.adminAuthenticator.authenticate(bearer: bearer)
                return .administrator
            } catch {
                throw OAuthError(.invalidToken, "the bearer token is not an administrator token")
            }
        }
        let client = try await ClientRequestAuthentication.authenticate(
            request,
            parameters: parameters.filter { $0.key != "token" && $0.key != "token_type_hint" },
            server: server,
            context: context
        )
        // A client_id alone proves nothing: public clients may not scan tokens (RFC 7662 §2.1, §4).
        guard client.method != .none else { throw OAuthError.invalidClient("introspection requires client authentication") }
        return .authenticated(client.client)
    }
}
