import CustosCore
import Hummingbird
import Logging

/// Client authentication for protocol endpoints from an already-read set of parameters,
/// plus the CORS answer for browser-based clients: `Access-Control-Allow-Origin` only when
/// the request's `Origin` is one the authenticated client registered.
enum ClientRequestAuthentication {
    /// Throws `RateLimited` when the claimed client_id failed too often from this client address.
    static func authenticate(
        _ request: Request,
        parameters: [String: String],
        server: AuthorizationServer,
        context: CustosRequestContext
    ) async throws -> AuthenticatedClient {
        let presented = try ClientCredentialsReader.read(request, parameters: parameters)
        do {
            return try await server.clientAuthenticator.authenticate(RequestPresentation(credentials: presented), source: context.clientAddress)
        } catch let limited as RateLimited {
            // Brute force against a client's credentials is an event an operator must see
            // (OAuth 2.1 §2.4.1, RFC 6819 §4.3.5); the client_id is not a secret.
            context.logger.notice(
                "client authentication throttled",
                metadata: [
                    "client_id": "\(presented.claimedClientID ?? "")",
                    "client.address": "\(context.clientAddress)", "retry_after": "\(limited.retryAfter)",
                ]
            )
            throw limited
        }
    }

    static func corsHeaders(_ request: Request, client: OAuthClient) -> HTTPFields {
        guard let origin = request.headers[.origin], client.corsOrigins.contains(origin.lowercased()) else { return [:] }
        return [.accessControlAllowOrigin: origin, .vary: "Origin"]
    }
}

/// Answers CORS preflights for the endpoints browser clients call (token, revocation,
/// introspection is server-to-server and not included). The preflight reveals nothing; the
/// actual response carries `Access-Control-Allow-Origin` only for the client's own origins.
struct CORSPreflightMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .options, let origin = request.headers[.origin] else {
            return try await next(request, context)
        }
        return Response(
            status: .noContent,
            headers: [
                .accessControlAllowOrigin: origin, .vary: "Origin", .accessControlAllowMethods: "POST, GET",
                .accessControlAllowHeaders: "Authorization, Content-Type, DPoP", .accessControlMaxAge: "600",
            ]
        )
    }
}
