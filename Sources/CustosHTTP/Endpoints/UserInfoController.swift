import CustosCore
import Foundation
import Hummingbird

/// `GET` and `POST /oauth/userinfo`. The token comes in `Authorization: Bearer` or, for POST,
/// a form-encoded `access_token` (RFC 6750 §2.1, §2.2) — never the query string (OAuth 2.1
/// §5.1) — or, DPoP-bound, in `Authorization: DPoP` with its proof in the `DPoP` header
/// (RFC 9449 §7.1). Failures carry `WWW-Authenticate: Bearer` with the RFC 6750 §3.1 error,
/// or the `DPoP` challenge when the request used that scheme or its proof failed.
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
                    .accessControlAllowHeaders: "Authorization, Content-Type, DPoP", .vary: "Origin",
                ]
            )
        }
    }

    @Sendable func userInfo(_ request: Request, _ context: CustosRequestContext) async throws -> Response {
        if request.uri.queryParameters["access_token"] != nil {
            return try refuse("the access token must not be sent in the query")
        }
        var presented = Self.presentedToken(request)
        var token = presented.token
        if request.method == .post, RequestBody.mediaType(request) == "application/x-www-form-urlencoded" {
            let form = try await ProtocolForm.read(request, limit: bodyLimit)
            if let bodyToken = form["access_token"] {
                if token != nil || presented.scheme == .dpop {
                    return try refuse("send the token one way only")
                }
                token = bodyToken
            }
        }
        guard let token else { return Self.askForToken }
        presented.token = token
        presented.dpopProof = try RequestPresentationReader.dpopProof(request)
        presented.htm = request.method.rawValue
        presented.htu = server.configuration.endpoint(request.uri.path)
        // Only its thumbprint matters here (RFC 8705 §3), so no CA is consulted; one that does
        // not parse is no certificate, and a token bound to one is then refused.
        presented.certificate = context.clientCertificate.flatMap { try? ClientCertificateParser.parse($0) }
        let (answer, client) = try await server.userInfo.userInfo(presented)
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

    /// The token of `Authorization: Bearer` or `Authorization: DPoP` (RFC 9449 §7.1; schemes
    /// are case-insensitive, RFC 9110 §11.1); another scheme is no token at all.
    private static func presentedToken(_ request: Request) -> ResourceRequest {
        guard let header = request.headers[.authorization] else { return ResourceRequest(token: nil) }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2 else { return ResourceRequest(token: nil) }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        switch parts[0].lowercased() {
        case "bearer": return ResourceRequest(token: token, scheme: .bearer)
        case "dpop": return ResourceRequest(token: token, scheme: .dpop)
        default: return ResourceRequest(token: nil)
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
