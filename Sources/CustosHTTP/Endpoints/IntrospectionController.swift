import CustosCore
import Foundation
import Hummingbird

/// `POST /oauth/introspect` (RFC 7662) and the swagger's `POST /internal/oauth/introspect`
/// (JSON in, envelope out). The caller must be an authenticated client or hold an admin
/// token (RFC 7662 §2.1: no anonymous token scanning). Anything not active, or not the
/// caller's to see (`TokenIntrospector.Caller`), is exactly `{"active": false}`; both
/// endpoints apply the same rule.
struct IntrospectionController {
    let server: AuthorizationServer
    let bodyLimit: Int

    /// The two endpoints authenticate callers the same two ways and answer failures each in
    /// its own format: RFC 6749 §5.2 JSON on the protocol endpoint, the admin envelope
    /// (401 `unauthenticated`) on the internal one, whose body carries no credentials.
    func register(protocolEndpoints: ClientAuthenticatedRoutes, internalEndpoints: ClientAuthenticatedRoutes) {
        protocolEndpoints.post(
            "/oauth/introspect",
            credentials: .form,
            orAdministrator: AdministratorAlternative(
                missingCredentials: nil,
                administrator: { _ in OAuthError(.invalidToken, "the bearer token is not an administrator token") },
                client: { $0 }
            ),
            introspect
        )
        internalEndpoints.post(
            "/internal/oauth/introspect",
            credentials: .headersOnly,
            orAdministrator: AdministratorAlternative(
                missingCredentials: AccessDenied.unauthenticated("client or administrator authentication is required"),
                administrator: { $0 },
                client: { _ in AccessDenied.unauthenticated("client authentication failed") }
            ),
            internalIntrospect
        )
    }

    @Sendable func introspect(_ request: Request, _ context: CustosRequestContext, _ call: IntrospectionCallerRequest) async throws -> Response {
        let caller: TokenIntrospector.Caller
        switch call.caller {
        case .administrator: caller = .administrator
        case .client(let client, _):
            // A client_id alone proves nothing: public clients may not scan tokens (RFC 7662 §2.1, §4).
            guard client.method != .none else { throw OAuthError.invalidClient("introspection requires client authentication") }
            caller = .authenticated(client.client)
        }
        guard let token = call.parameters["token"] else { throw OAuthError.invalidRequest("token is required") }
        let representation = representation(request, for: call.caller)
        if case .notAcceptable(let message) = representation {
            let refusal = ErrorClassification(status: .notAcceptable, code: OAuthError.Code.invalidRequest.rawValue, message: message)
            return try OAuthErrorMiddleware<CustosRequestContext>.render(refusal)
        }
        let result = try await server.introspector.introspect(token, by: caller)
        guard case .jwt(let audience, let key) = representation else {
            if let result { return try JSONResponse.make(result, noStore: true, headers: Self.varyAccept) }
            return try JSONResponse.make(InactiveIntrospection(), noStore: true, headers: Self.varyAccept)
        }
        let jwt = try SignedIntrospectionResponse.sign(
            result,
            audience: audience,
            issuer: server.configuration.issuer,
            issuedAt: server.clock.now,
            key: key
        )
        // The caching headers of every RFC 7662 answer (`JSONResponse.make(noStore:)`).
        var headers: HTTPFields = [.contentType: SignedIntrospectionResponse.mediaType, .cacheControl: "no-store", .init("Pragma")!: "no-cache"]
        headers.append(contentsOf: Self.varyAccept)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: jwt)))
    }

    /// The answer depends on `Accept` (RFC 9110 §12.5.5).
    static let varyAccept: HTTPFields = [.vary: "Accept"]

    /// How the protocol endpoint answers: RFC 7662 JSON, or the RFC 9701 JWT for a caller that
    /// asks for it in `Accept`.
    enum Representation {
        case json
        /// Addressed to the authenticated client that called.
        case jwt(audience: String, key: SigningKey)
        /// 406, saying why.
        case notAcceptable(String)
    }

    /// RFC 9701 §4: a caller asks for the JWT with `Accept: application/token-introspection+jwt`;
    /// JSON stays the default (no `Accept`, `*/*`, equal weights). The JWT is addressed to a
    /// client, so an administrator's bearer token can only have JSON, and a client whose
    /// algorithm has no key only JSON too (§6: never another algorithm). A caller that accepts
    /// neither gets 406 (RFC 9110 §12.5.1) with an OAuth error body saying why, rather than an
    /// answer it said it cannot use; in particular never unsigned JSON when it refused JSON.
    private func representation(_ request: Request, for caller: IntrospectionCallerRequest.Caller) -> Representation {
        let accept = AcceptHeader(request.headers[.accept])
        var signing: (audience: String, key: SigningKey)?
        var unavailable = "an administrator token has no client to address a signed answer to"
        if case .client(let client, _) = caller {
            do {
                signing = (client.client.clientID, try SignedIntrospectionResponse.signer(for: client.client.metadata, keys: server.keys))
            } catch {
                unavailable = error.reason
            }
        }
        let jsonType = "application/json"
        let offered = signing == nil ? [jsonType] : [jsonType, SignedIntrospectionResponse.mediaType]
        switch accept.preferred(among: offered) {
        case jsonType: return .json
        case .some: return signing.map { .jwt(audience: $0.audience, key: $0.key) } ?? .json
        case nil:
            var message = "Accept names no representation of the introspection answer this server can send"
            message += "; it sends application/json, or \(SignedIntrospectionResponse.mediaType) to an authenticated client"
            if accept.preferred(among: [SignedIntrospectionResponse.mediaType]) != nil { message += " (\(unavailable))" }
            return .notAcceptable(message)
        }
    }

    struct InternalBody: Decodable { var token: String? }

    struct InternalResult: Encodable {
        let active: Bool
        let clientID: String
        let userID: String
        let scope: String
        let exp: Int64
        enum CodingKeys: String, CodingKey {
            case active, scope, exp
            case clientID = "client_id"
            case userID = "user_id"
        }
    }

    @Sendable func internalIntrospect(
        _ request: Request,
        _ context: CustosRequestContext,
        _ call: IntrospectionCallerRequest
    ) async throws -> Response {
        let caller: TokenIntrospector.Caller
        switch call.caller {
        case .administrator: caller = .administrator
        case .client(let client, _):
            guard client.method != .none else { throw AccessDenied.unauthenticated("introspection requires client authentication") }
            caller = .authenticated(client.client)
        }
        let body = try await AdminJSONBody.decode(InternalBody.self, from: request, limit: bodyLimit)!
        guard let token = body.token, !token.isEmpty else { throw AdminError.invalidField(field: "token", message: "is required") }
        let result = try await server.introspector.introspect(token, by: caller)
        let payload = InternalResult(
            active: result != nil,
            clientID: result?.clientID ?? "",
            userID: result?.userID ?? "",
            scope: result?.scope ?? "",
            exp: result?.exp ?? 0
        )
        return try JSONResponse.make(DataEnvelope(payload, message: "token introspected"), noStore: true)
    }
}
