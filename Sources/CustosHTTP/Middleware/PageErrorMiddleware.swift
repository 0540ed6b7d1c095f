import CustosCore
import Hummingbird
import Logging

/// Errors of the browser pages (login, consent, authorize, end-session) as HTML pages: the
/// database being away is a 503 page with `Retry-After`, anything unexpected a 500 page that
/// names no internals. Errors with their own HTTP status (404, 405, 413) pass through.
struct PageErrorMiddleware: RouterMiddleware {
    let pages: BrowserPages

    func handle(
        _ request: Request,
        context: CustosRequestContext,
        next: (Request, CustosRequestContext) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch is StorageUnavailable {
            var response = pages.errorPage(
                "Temporarily unavailable",
                "The service cannot answer right now. Try again in a few seconds.",
                status: .serviceUnavailable
            )
            response.headers[.retryAfter] = "5"
            return response
        } catch is RequestBody.TooLarge {
            return pages.errorPage("Request too large", "The form sent more data than the server accepts.", status: .contentTooLarge)
        } catch let error as any HTTPResponseError {
            throw error
        } catch {
            context.logger.error("page request failed", metadata: ["error.type": "\(type(of: error))"])
            return pages.errorPage("Something went wrong", "The server could not complete the request.", status: .internalServerError)
        }
    }
}
