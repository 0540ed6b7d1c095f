import CustosCore
import Hummingbird
import Logging

/// The browser pages' renderer (login, consent, authorize, end-session): an error becomes an
/// HTML page with the status and `Retry-After` that `ErrorClassification` decides; the page
/// names no internals. Errors with their own HTTP status (404, 405) pass through to
/// Hummingbird's answer.
struct PageErrorMiddleware: RouterMiddleware {
    let pages: BrowserPages

    func handle(
        _ request: Request,
        context: CustosRequestContext,
        next: (Request, CustosRequestContext) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as any HTTPResponseError {
            throw error
        } catch {
            let classification = ErrorClassification(error, surface: .page, request: request)
            classification.log(error, surface: .page, to: context.logger)
            return render(classification)
        }
    }

    func render(_ classification: ErrorClassification) -> Response {
        let (title, text): (String, String) =
            switch classification.status {
            case .serviceUnavailable: ("Temporarily unavailable", "The service cannot answer right now. Try again in a few seconds.")
            case .contentTooLarge: ("Request too large", "The form sent more data than the server accepts.")
            case .tooManyRequests: ("Too many requests", "Too many requests came from here. Try again in a little while.")
            case .internalServerError: ("Something went wrong", "The server could not complete the request.")
            default: ("Invalid request", classification.message)
            }
        var response = pages.errorPage(title, text, status: classification.status)
        for field in classification.headers { response.headers.append(field) }
        return response
    }
}
