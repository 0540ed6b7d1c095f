import CustosCore
import Hummingbird
import Logging

/// Turns every error of an admin route into a `SimpleResponse` with the right status, in one
/// place. Unknown errors become 500 and are logged by type only: an error's description
/// could carry request data, and request data may hold secrets.
struct AdminErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            return try Self.response(for: error, logger: context.logger)
        }
    }

    static func response(for error: any Error, logger: Logger) throws -> Response {
        var headers: HTTPFields = [:]
        let status: HTTPResponse.Status
        let message: String
        switch error {
        case let error as AdminError:
            message = error.message
            switch error {
            case .invalidField, .badRequest: status = .badRequest
            case .notFound: status = .notFound
            case .conflict: status = .conflict
            }
        case let denied as AccessDenied:
            switch denied {
            case .unauthenticated(let reason):
                status = .unauthorized
                message = reason
                headers[.wwwAuthenticate] = "Bearer realm=\"custos\", error=\"invalid_token\""
            case .forbidden(let reason):
                status = .forbidden
                message = reason
                headers[.wwwAuthenticate] = "Bearer realm=\"custos\", error=\"insufficient_scope\", scope=\"admin\""
            }
        case let error as AdminHTTPError:
            status = error.status
            message = error.message
        case is RequestBody.TooLarge:
            status = .contentTooLarge
            message = "the request body is too large"
        case is StorageUnavailable:
            status = .serviceUnavailable
            message = "the database is unavailable; try again shortly"
            headers[.retryAfter] = "5"
        case let limited as RateLimited:
            status = .tooManyRequests
            message = "too many requests; try again in \(limited.retryAfter) seconds"
            headers[.retryAfter] = String(limited.retryAfter)
        case let busy as PasswordHashingBusy:
            status = .serviceUnavailable
            message = "too many passwords are being hashed; try again shortly"
            headers[.retryAfter] = String(busy.retryAfter)
        case let error as HTTPError:
            status = error.status
            message = error.body ?? error.status.reasonPhrase
        default:
            logger.error("admin request failed", metadata: ["error.type": "\(type(of: error))"])
            status = .internalServerError
            message = "internal server error"
        }
        return try JSONResponse.make(SimpleResponse(code: Int(status.code), message: message), status: status, headers: headers)
    }
}
