import Hummingbird

/// `Access-Control-Allow-Origin: *` for public documents (discovery, JWKS), which any web
/// client may read and which carry no credentials.
struct PublicCORSMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.accessControlAllowOrigin] = "*"
        return response
    }
}
