import CustosCore
import HTTPTypes
import Hummingbird
import Logging

/// What an error means on the wire, decided in one place for every surface: the status, the
/// OAuth error code, the text the caller may see, the challenge, `Retry-After`, and whether it
/// was unexpected (a 500 that is logged by type only: an error's own description could carry
/// request data, and request data may hold secrets). Three renderers write it: RFC 6749 JSON
/// (`OAuthErrorMiddleware`), the admin `SimpleResponse` (`AdminErrorMiddleware`) and the HTML
/// error page (`PageErrorMiddleware`).
struct ErrorClassification {
    /// Where the error happened; the only thing that differs between surfaces is what a
    /// refused bearer token is called.
    enum Surface {
        /// Token, revocation, introspection, refresh: clients authenticate themselves.
        case protocolEndpoint
        /// A resource that takes a user's bearer token (UserInfo), RFC 6750 §3.1.
        case resource
        /// Dynamic registration: the initial or registration access token (RFC 7591 §3, RFC 7592 §3).
        case registration
        /// The admin API: an administrator's token (`admin` scope).
        case admin
        /// The account API and the JSON authorize variant: a first-party app's `account` token
        /// issued in the user's browser session; without one the user must sign in.
        case account
        /// The browser pages.
        case page
    }

    var status: HTTPResponse.Status
    var code: String
    var message: String
    var challenge: WWWAuthenticate?
    var retryAfter: Int?
    /// RFC 9449 §8: a fresh nonce for the `DPoP-Nonce` header.
    var dpopNonce: String?
    /// For the log only (`OAuthError.detail`).
    var detail: String?
    var isUnexpected = false

    var headers: HTTPFields {
        var headers: HTTPFields = [:]
        if let challenge { headers[.wwwAuthenticate] = challenge.headerValue }
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        if let dpopNonce { headers[Self.dpopNonceHeader] = dpopNonce }
        return headers
    }

    /// Seconds a client should wait when the database is away: long enough for a pool to
    /// reconnect, short enough that a retry soon succeeds.
    static let unavailableRetryAfter = 5
    static let dpopNonceHeader = HTTPField.Name("DPoP-Nonce")!

    init(status: HTTPResponse.Status, code: String, message: String, challenge: WWWAuthenticate? = nil, retryAfter: Int? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.challenge = challenge
        self.retryAfter = retryAfter
    }

    init(_ error: any Error, surface: Surface, request: Request) {
        switch error {
        case let error as OAuthError:
            self.init(error, surface: surface, request: request)
        case let error as OAuthWireError:
            self.init(error.oauthError, surface: surface, request: request)
        case let denied as AccessDenied:
            self.init(denied, surface: surface)
            // RFC 9449 §7.1: a request that used the DPoP scheme is answered with its challenge.
            if surface == .resource, Self.usesDPoPScheme(request), case .bearer(let error, let description, _)? = challenge {
                challenge = .dpop(error: error, description: description)
            }
        case let error as AdminError:
            let status: HTTPResponse.Status =
                switch error {
                case .invalidField, .badRequest: .badRequest
                case .notFound: .notFound
                case .conflict: .conflict
                }
            self.init(status: status, code: OAuthError.Code.invalidRequest.rawValue, message: error.message)
        case let error as AdminHTTPError:
            self.init(status: error.status, code: OAuthError.Code.invalidRequest.rawValue, message: error.message)
        case is RequestBody.TooLarge:
            // RFC 7591 §3.2.2 names every registration refusal after the metadata.
            let code: OAuthError.Code = surface == .registration ? .invalidClientMetadata : .invalidRequest
            self.init(status: .contentTooLarge, code: code.rawValue, message: "the request body is too large")
        case is StorageUnavailable:
            self.init(
                status: .serviceUnavailable,
                code: OAuthError.Code.temporarilyUnavailable.rawValue,
                message: "the service is temporarily unavailable; try again shortly",
                retryAfter: Self.unavailableRetryAfter
            )
        case let limited as RateLimited:
            self.init(
                status: .tooManyRequests,
                code: OAuthError.Code.rateLimitExceeded.rawValue,
                message: "too many requests; try again in \(limited.retryAfter) seconds",
                retryAfter: limited.retryAfter
            )
        case let busy as PasswordHashingBusy:
            self.init(
                status: .serviceUnavailable,
                code: OAuthError.Code.temporarilyUnavailable.rawValue,
                message: "too many passwords are being hashed; try again shortly",
                retryAfter: busy.retryAfter
            )
        case let error as HTTPError where error.status == .notFound || error.status == .methodNotAllowed:
            self.init(status: error.status, code: OAuthError.Code.invalidRequest.rawValue, message: error.body ?? "no such endpoint")
        case let error as HTTPError where surface == .admin || surface == .account:
            self.init(status: error.status, code: OAuthError.Code.invalidRequest.rawValue, message: error.body ?? error.status.reasonPhrase)
        default:
            self.init(status: .internalServerError, code: OAuthError.Code.serverError.rawValue, message: "internal server error")
            isUnexpected = true
        }
    }

    /// RFC 6749 §5.2 and RFC 6750 §3.1 statuses for the protocol's own errors. A DPoP refusal
    /// is 400 at the token and PAR endpoints and 401 with the DPoP challenge at a resource
    /// (RFC 9449 §7.1, §8, §9).
    private init(_ error: OAuthError, surface: Surface, request: Request) {
        var challenge: WWWAuthenticate?
        let status: HTTPResponse.Status
        switch error.code {
        case .invalidDPoPProof where surface == .resource, .useDPoPNonce where surface == .resource:
            status = .unauthorized
            challenge = .dpop(error: error.code.rawValue, description: error.description)
        case .invalidClient:
            status = .unauthorized
            if request.headers[.authorization]?.lowercased().hasPrefix("basic") == true { challenge = .basic }
        case .invalidToken:
            status = .unauthorized
            challenge = .bearer(error: error.code.rawValue)
        case .insufficientScope: status = .forbidden
        case .serverError: status = .internalServerError
        case .temporarilyUnavailable: status = .serviceUnavailable
        case .rateLimitExceeded: status = .tooManyRequests
        default: status = .badRequest
        }
        self.init(status: status, code: error.code.rawValue, message: error.description ?? "", challenge: challenge)
        detail = error.detail
        dpopNonce = error.dpopNonce
    }

    private static func usesDPoPScheme(_ request: Request) -> Bool {
        request.headers[.authorization]?.lowercased().hasPrefix("dpop ") == true
    }

    /// Writes what the log should hold: unexpected errors by type only, and the private detail
    /// of an expected one.
    func log(_ error: any Error, surface: Surface, to logger: Logger) {
        if isUnexpected {
            logger.error("request failed", metadata: ["error.type": "\(type(of: error))", "surface": "\(surface)"])
        } else if let detail {
            logger.info("request refused", metadata: ["error.code": "\(code)", "error.detail": "\(detail)"])
        }
    }

    private init(_ denied: AccessDenied, surface: Surface) {
        switch (denied, surface) {
        case (.unauthenticated(let reason), .account):
            self.init(
                status: .unauthorized,
                code: OAuthError.Code.loginRequired.rawValue,
                message: reason,
                challenge: .bearer(error: OAuthError.Code.invalidToken.rawValue)
            )
        case (.unauthenticated(let reason), .resource):
            self.init(
                status: .unauthorized,
                code: OAuthError.Code.invalidToken.rawValue,
                message: reason,
                challenge: .bearer(error: OAuthError.Code.invalidToken.rawValue, description: reason)
            )
        case (.unauthenticated(let reason), _):
            self.init(
                status: .unauthorized,
                code: OAuthError.Code.invalidToken.rawValue,
                message: reason,
                challenge: .bearer(error: OAuthError.Code.invalidToken.rawValue)
            )
        case (.forbidden(let reason), .resource):
            self.init(
                status: .forbidden,
                code: OAuthError.Code.insufficientScope.rawValue,
                message: reason,
                challenge: .bearer(error: OAuthError.Code.insufficientScope.rawValue, description: reason)
            )
        case (.forbidden(let reason), .admin):
            self.init(
                status: .forbidden,
                code: OAuthError.Code.insufficientScope.rawValue,
                message: reason,
                challenge: .bearer(error: OAuthError.Code.insufficientScope.rawValue, scope: "admin")
            )
        case (.forbidden(let reason), .account):
            // RFC 6750 §3.1: the 403 names the scope the token lacks.
            self.init(
                status: .forbidden,
                code: OAuthError.Code.accessDenied.rawValue,
                message: reason,
                challenge: .bearer(error: OAuthError.Code.insufficientScope.rawValue, scope: "account")
            )
        case (.forbidden(let reason), _):
            self.init(status: .forbidden, code: OAuthError.Code.accessDenied.rawValue, message: reason)
        }
    }
}
