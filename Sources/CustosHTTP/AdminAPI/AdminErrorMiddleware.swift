import CustosCore
import Hummingbird
import Logging

/// The admin and account API's renderer: every error becomes a `SimpleResponse` with the status,
/// challenge and `Retry-After` that `ErrorClassification` decides.
struct AdminErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    var surface: ErrorClassification.Surface = .admin

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let classification = ErrorClassification(error, surface: surface, request: request)
            classification.log(error, surface: surface, to: context.logger)
            return try Self.render(classification)
        }
    }

    static func render(_ classification: ErrorClassification) throws -> Response {
        try JSONResponse.make(
            SimpleResponse(code: Int(classification.status.code), message: classification.message),
            status: classification.status,
            headers: classification.headers
        )
    }
}
