import CustosCore
import Foundation
import Hummingbird

/// `GET` and `POST /oauth/userinfo`. The token comes in `Authorization: Bearer` or, for POST,
/// a form-encoded `access_token` (RFC 6750 §2.1, §2.2) — never the query string (OAuth 2.1
/// §5.1). Failures carry `WWW-Authenticate: Bearer` with the RFC 6750 §3.1 error.
struct UserInfoController {
    let server: AuthorizationServer
    let bodyLimit: Int

    func register(on group: RouterGroup<CustosRequestContext>) {
        group.get("/oauth/userinfo", use: userInfo)
        group.post("/oauth/userinfo", use: userInfo)
        group.on("/oauth/userinfo", method: .options) { request, _ in
            Response(
                status: .noContent,
                headers: [
                    .accessControlAllowOrigin: request.headers[.origin] ?? "*", .accessControlAllowMethods: "GET, POST",
                    .accessControlAllowHeaders: "Authorization, Content-Type", .vary: "Origin",
                ]
            )
        }
    }

    @Sendable func userInfo(_ request: Request, _ context: CustosRequestContext) async throws -> Response {
        if request.uri.queryParameters["access_token"] != nil {
            return try refuse("the access token must not be sent in the query")
        }
        var token = AdminRoutes.bearerToken(request)
        if request.method == .post, RequestBody.mediaType(request) == "application/x-www-form-urlencoded" {
            let form = try await ProtocolForm.read(request, limit: bodyLimit)
            if let bodyToken = form["access_token"] {
                if token != nil {
                    return try refuse("send the token one way only")
                }
                token = bodyToken
            }
        }
        guard let token else { return Self.askForToken }
        // Only its thumbprint matters here (RFC 8705 §3), so no CA is consulted; one that does
        // not parse is no certificate, and a token bound to one is then refused.
        let certificate = context.clientCertificate.flatMap { try? ClientCertificateParser.parse($0) }
        let (answer, client) = try await server.userInfo.userInfo(bearer: token, certificate: certificate)
        var headers = ClientCORSHeaders.headers(request, client: client)
        headers[.cacheControl] = "no-store"
        switch answer {
        case .json(let claims):
            headers[.contentType] = "application/json; charset=utf-8"
            let body = try JSONSerialization.data(withJSONObject: claims as [String: Any], options: [.sortedKeys, .withoutEscapingSlashes])
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
        case .jwt(let jwt):
            headers[.contentType] = "application/jwt"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: jwt)))
        }
    }

    /// RFC 6750 §3.1: a malformed request carries the Bearer challenge with `invalid_request`.
    /// (A refused token, `AccessDenied`, is classified by the group's middleware, `.resource`.)
    private func refuse(_ description: String) throws -> Response {
        let code = OAuthError.Code.invalidRequest.rawValue
        return try OAuthErrorMiddleware<CustosRequestContext>.render(
            ErrorClassification(status: .badRequest, code: code, message: description, challenge: .bearer(error: code, description: description))
        )
    }

    /// RFC 6750 §3.1: a request without any token gets the challenge and no error body.
    private static let askForToken = Response(
        status: .unauthorized,
        headers: [.wwwAuthenticate: WWWAuthenticate.bearer(error: nil).headerValue, .cacheControl: "no-store"]
    )
}
