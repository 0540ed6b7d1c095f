import Hummingbird

/// Unmatched routes answer in the format of the part of the API they fall in: a
/// `SimpleResponse` under the admin and account API, RFC 6749 error JSON elsewhere under the
/// API prefix, instead of Hummingbird's empty 404.
struct NotFoundMiddleware<Context: RequestContext>: RouterMiddleware {
    let apiPrefix: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound || error.status == .methodNotAllowed {
            let path = request.uri.path
            if path.hasPrefix(apiPrefix + "/admin") || path.hasPrefix(apiPrefix + "/internal") {
                return try JSONResponse.make(SimpleResponse(code: Int(error.status.code), message: "no such resource"), status: error.status)
            }
            if path.hasPrefix(apiPrefix) {
                return try JSONResponse.make(
                    OAuthErrorMiddleware<Context>.Body(error: "invalid_request", errorDescription: "no such endpoint"),
                    status: error.status
                )
            }
            throw error
        }
    }
}
