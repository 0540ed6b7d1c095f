import CustosCore
import Foundation
import Hummingbird

/// `GET` and `POST /oauth/authorize` (RFC 6749 §4.1.1; §3.1: both methods). Reads the
/// parameters strictly, finds the browser's session, asks `AuthorizationEndpoint`, and
/// renders its decision: an error page, a redirect to sign-in or consent, or the response.
struct AuthorizationController {
    let pages: BrowserPages

    func register(on group: RouterGroup<CustosRequestContext>) {
        group.get("/oauth/authorize", use: authorizeGet)
        group.post("/oauth/authorize", use: authorizePost)
    }

    @Sendable func authorizeGet(_ request: Request, _ context: CustosRequestContext) async throws -> Response {
        let query = request.uri.query ?? ""
        return try await authorize(request, rawParameters: Result { try FormParameters.parse(query) }, afterPost: false)
    }

    @Sendable func authorizePost(_ request: Request, _ context: CustosRequestContext) async throws -> Response {
        if RequestBody.mediaType(request) == "application/json" { return try await authorizeJSON(request) }
        let parameters: Result<[String: String], any Error>
        do {
            parameters = .success(try await ProtocolForm.read(request, limit: pages.bodyLimit))
        } catch {
            parameters = .failure(error)
        }
        return try await authorize(request, rawParameters: parameters, afterPost: true)
    }

    private func authorize(_ request: Request, rawParameters: Result<[String: String], any Error>, afterPost: Bool) async throws
        -> Response
    {
        guard case .success(var parameters) = rawParameters else {
            return pages.errorPage("Invalid request", "The authorization request is malformed or repeats a parameter.", status: .badRequest)
        }
        // `consent` is Custos's own: the consent page adds it when sending the browser back.
        let consentDecision = parameters.removeValue(forKey: "consent")
        let consentDenied = consentDecision == "denied"
        var endpointParameters = parameters
        if consentDecision == "given" { endpointParameters["consent"] = "given" }
        let session = try await pages.signedInUser(request)
        let outcome = try await pages.server.authorizationEndpoint.authorize(
            AuthorizationRequest(parameters: endpointParameters), session: session, consentDenied: consentDenied)
        switch outcome {
        case .errorPage(let error):
            return pages.errorPage("This request cannot be completed", error.description ?? error.code.rawValue, status: .badRequest)
        case .redirectError(let error, let redirect):
            return AuthorizationResponseWriter.error(error, redirect, afterPost: afterPost)
        case .code(let code, let redirect):
            return AuthorizationResponseWriter.success(code: code, redirect, afterPost: afterPost)
        case .signIn(let validated):
            var resume = parameters
            resume[AuthorizationEndpoint.signedInAfterParameter] = String(
                Int64((pages.server.clock.now.timeIntervalSince1970 * 1000).rounded(.down)))
            let returnTo = authorizePath(resume)
            return BrowserPages.redirect(
                to: pages.loginPath + "?"
                    + QueryEncoding.encode(
                        [("return_to", returnTo), ("client_id", validated.client.clientID)]
                            + (validated.loginHint.map { [("login_hint", $0)] } ?? []))
                    // With a session present the sign-in was asked for on purpose (prompt, max_age,
                    // another user's id_token_hint): the login page must not skip its form.
                    + (session != nil ? "&prompt=login" : ""))
        case .consent(let validated, _):
            let resume = parameters
            return BrowserPages.redirect(
                to: pages.apiPrefix + "/consent?"
                    + QueryEncoding.encode([
                        ("client_id", validated.client.clientID), ("scope", validated.scopes.joined(separator: " ")),
                        ("return_to", authorizePath(resume)),
                    ]))
        }
    }

    /// The swagger's JSON variant of `POST /oauth/authorize`: the signed-in user (session cookie
    /// or a bearer token issued for them) submits the request with `approved`; approval is
    /// saved as consent. With `redirect_uri` in the body the answer is the usual redirect;
    /// without it, `{"code", "state"}` as JSON.
    private func authorizeJSON(_ request: Request) async throws -> Response {
        struct Body: Decodable {
            var approved: Bool?
            var userID: String?
            enum CodingKeys: String, CodingKey {
                case approved
                case userID = "user_id"
            }
        }
        func jsonError(_ code: OAuthError.Code, _ description: String, _ status: HTTPResponse.Status) throws -> Response {
            // RFC 9110 §15.5.2: a 401 names how to authenticate; here, the browser session.
            let challenge: HTTPFields = status == .unauthorized ? [.wwwAuthenticate: BrowserPages.sessionChallenge] : [:]
            return try JSONResponse.make(
                OAuthErrorMiddleware<CustosRequestContext>.Body(error: code.rawValue, errorDescription: description), status: status,
                noStore: true, headers: challenge)
        }
        let buffer = try await RequestBody.collect(request, limit: pages.bodyLimit)
        let bytes = Array(buffer.readableBytesView)
        guard StrictJSON.problem(in: bytes) == nil,
            let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
            let body = try? JSONDecoder().decode(Body.self, from: Data(bytes))
        else { return try jsonError(.invalidRequest, "the body must be a JSON object", .badRequest) }
        var parameters: [String: String] = [:]
        for (name, value) in object where name != "approved" && name != "user_id" {
            guard let text = value as? String else { return try jsonError(.invalidRequest, "\(name) must be a string", .badRequest) }
            if !text.isEmpty { parameters[name] = text }
        }
        var session = try await pages.signedInUser(request)
        if session == nil, let bearer = AdminRoutes.bearerToken(request),
            let user = try? await pages.server.userAuthenticator.authenticate(bearer: bearer)
        {
            let now = pages.server.clock.now
            session = (BrowserSession(id: "bearer", tenant: user.tenant, digest: "", userID: user.id, authTime: now, amr: [], createdAt: now, lastSeenAt: now, expiresAt: now), user)
        }
        guard let session else { return try jsonError(.loginRequired, "the user must be signed in", .unauthorized) }
        if let userID = body.userID, userID != session.user.id {
            return try jsonError(.accessDenied, "user_id does not match the authenticated user", .forbidden)
        }
        let requestedRedirect = parameters["redirect_uri"] != nil
        if body.approved == true, let clientID = parameters["client_id"],
            let client = try await pages.server.storage.client(clientID: clientID, tenant: pages.server.configuration.tenant),
            let scopes = try? ScopeRequest.resolve(parameters["scope"], allowed: client.scopes)
        {
            _ = try await pages.server.consents.grant(userID: session.user.id, clientID: clientID, scopes: scopes)
            parameters["consent"] = "given"
        }
        let outcome = try await pages.server.authorizationEndpoint.authorize(
            AuthorizationRequest(parameters: parameters), session: session, consentDenied: body.approved == false)
        switch outcome {
        case .code(let code, let redirect):
            if requestedRedirect { return AuthorizationResponseWriter.success(code: code, redirect, afterPost: true) }
            struct CodeBody: Encodable { let code: String; let state: String? }
            return try JSONResponse.make(CodeBody(code: code, state: redirect.state), noStore: true)
        case .redirectError(let error, let redirect):
            if requestedRedirect { return AuthorizationResponseWriter.error(error, redirect, afterPost: true) }
            return try jsonError(error.code, error.description ?? "", .badRequest)
        case .errorPage(let error):
            return try jsonError(error.code, error.description ?? "", .badRequest)
        case .signIn:
            return try jsonError(.loginRequired, "the user must sign in again", .unauthorized)
        case .consent:
            return try jsonError(.consentRequired, "send approved: true or false", .badRequest)
        }
    }

    /// The authorization request as a relative GET URL, to come back to after sign-in or consent.
    private func authorizePath(_ parameters: [String: String]) -> String {
        pages.apiPrefix + "/oauth/authorize?" + QueryEncoding.encode(parameters.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }
}
