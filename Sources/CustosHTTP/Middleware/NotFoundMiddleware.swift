import Hummingbird

/// Unmatched routes answer in the format of the part of the API they fall in: a
/// `SimpleResponse` under the admin and account API, RFC 6749 error JSON elsewhere under the
/// API prefix, instead of Hummingbird's empty 404. A path in `postOnlyPaths` called with another
/// method is 405 with `Allow: POST` instead (RFC 9126 §2.3 asks it of the PAR endpoint; the
/// router itself answers 404 for a path it serves with another method).
struct NotFoundMiddleware<Context: RequestContext>: RouterMiddleware {
    let apiPrefix: String
    var postOnlyPaths: Set<String> = []

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound || error.status == .methodNotAllowed {
            let path = request.uri.path
            if postOnlyPaths.contains(path), request.method != .post {
                return try JSONResponse.make(
                    OAuthErrorMiddleware<Context>.Body(error: "invalid_request", errorDescription: "this endpoint accepts only POST"),
                    status: .methodNotAllowed,
                    headers: [.allow: "POST"]
                )
            }
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
