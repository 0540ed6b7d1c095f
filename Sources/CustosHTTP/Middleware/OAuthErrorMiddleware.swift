import CustosCore
import Hummingbird
import Logging

/// The protocol endpoints' renderer: every error becomes the RFC 6749 §5.2 JSON body with the
/// status, challenge and `Retry-After` that `ErrorClassification` decides, and
/// `Cache-Control: no-store`.
struct OAuthErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    var surface: ErrorClassification.Surface = .protocolEndpoint

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            return try Self.response(for: error, surface: surface, request: request, logger: context.logger)
        }
    }

    struct Body: Encodable {
        let error: String
        let errorDescription: String?

        init(error: String, errorDescription: String?) {
            self.error = error
            self.errorDescription = errorDescription.map(OAuthError.wireDescription)
        }
        enum CodingKeys: String, CodingKey {
            case error
            case errorDescription = "error_description"
        }
    }

    static func response(
        for error: any Error,
        surface: ErrorClassification.Surface = .protocolEndpoint,
        request: Request,
        logger: Logger
    ) throws -> Response {
        let classification = ErrorClassification(error, surface: surface, request: request)
        classification.log(error, surface: surface, to: logger)
        return try render(classification)
    }

    static func render(_ classification: ErrorClassification) throws -> Response {
        try JSONResponse.make(
            Body(error: classification.code, errorDescription: classification.message),
            status: classification.status,
            noStore: true,
            headers: classification.headers
        )
    }
}
