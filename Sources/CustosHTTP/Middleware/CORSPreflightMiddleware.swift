import Hummingbird

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
