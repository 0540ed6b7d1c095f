import CustosCore
import Hummingbird
import Logging

/// Turns every error of a protocol endpoint into the RFC 6749 §5.2 JSON body with its status,
/// with `Cache-Control: no-store`. `invalid_client` is 401, with `WWW-Authenticate: Basic`
/// when the client tried the Authorization header (RFC 6749 §5.2).
struct OAuthErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            return try Self.response(for: error, request: request, logger: context.logger)
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

    static func response(for error: any Error, request: Request, logger: Logger) throws -> Response {
        let oauthError: OAuthError
        var headers: HTTPFields = [:]
        switch error {
        case let error as OAuthError: oauthError = error
        case let error as OAuthWireError: oauthError = error.oauthError
        case is RequestBody.TooLarge:
            return try JSONResponse.make(
                Body(error: "invalid_request", errorDescription: "the request body is too large"),
                status: .contentTooLarge,
                noStore: true
            )
        case is StorageUnavailable:
            oauthError = OAuthError(.temporarilyUnavailable, "the service is temporarily unavailable; try again shortly")
            headers[.retryAfter] = "5"
        case let limited as RateLimited:
            oauthError = OAuthError(.rateLimitExceeded, "too many requests; try again in \(limited.retryAfter) seconds")
            headers[.retryAfter] = String(limited.retryAfter)
        case let error as HTTPError where error.status == .notFound || error.status == .methodNotAllowed:
            return try JSONResponse.make(
                Body(error: "invalid_request", errorDescription: "no such endpoint"),
                status: error.status,
                noStore: true
            )
        default:
            logger.error("protocol request failed", metadata: ["error.type": "\(type(of: error))"])
            oauthError = OAuthError(.serverError, "internal server error")
        }
        let status: HTTPResponse.Status
        switch oauthError.code {
        case .invalidClient:
            status = .unauthorized
            if request.headers[.authorization]?.lowercased().hasPrefix("basic") == true {
                headers[.wwwAuthenticate] = "Basic realm=\"custos\""
            }
        case .invalidToken:
            status = .unauthorized
            // RFC 6750 §3: a rejected bearer token is answered with the Bearer challenge.
            headers[.wwwAuthenticate] = "Bearer realm=\"custos\", error=\"invalid_token\""
        case .insufficientScope: status = .forbidden
        case .serverError: status = .internalServerError
        case .temporarilyUnavailable: status = .serviceUnavailable
        case .rateLimitExceeded: status = .tooManyRequests
        default: status = .badRequest
        }
        return try JSONResponse.make(
            Body(error: oauthError.code.rawValue, errorDescription: oauthError.description),
            status: status,
            noStore: true,
            headers: headers
        )
    }
}
