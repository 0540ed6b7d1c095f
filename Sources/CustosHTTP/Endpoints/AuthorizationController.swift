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
        if RequestBody.mediaType(request) == "application/json" { return try await authorizeJSON(request, context) }
        let parameters: Result<[String: String], any Error>
        do {
            parameters = .success(try await ProtocolForm.read(request, limit: pages.bodyLimit))
        } catch {
            parameters = .failure(error)
        }
        return try await authorize(request, rawParameters: parameters, afterPost: true)
    }

    private func authorize(
        _ request: Request,
        rawParameters: Result<[String: String], any Error>,
        afterPost: Bool
    ) async throws
        -> Response
    {
        guard case .success(let parameters) = rawParameters else {
            return pages.errorPage("Invalid request", "The authorization request is malformed or repeats a parameter.", status: .badRequest)
        }
        let session = try await pages.signedInUser(request)
        let endpoint = pages.server.authorizationEndpoint
        // Back from sign-in or consent: the handle names the request kept on the server, and
        // nothing else in this URL is read.
        let outcome =
            if let handle = parameters[AuthorizationEndpoint.pendingParameter] {
                try await endpoint.resume(handle: handle, session: session)
            } else {
                try await endpoint.authorize(AuthorizationRequest(parameters: parameters), session: session)
            }
        switch outcome {
        case .errorPage(let error):
            return pages.errorPage("This request cannot be completed", error.description ?? error.code.rawValue, status: .badRequest)
        case .redirectError(_, let redirect), .code(_, let redirect):
            return AuthorizationResponseWriter.deliver(redirect, afterPost: afterPost)
        case .signIn(let handle, let validated):
            guard let handle else { return pages.errorPage("This request cannot be completed", "Start again.", status: .badRequest) }
            return BrowserPages.redirect(
                to: pages.loginPath + "?"
                    + QueryEncoding.encode(
                        [("return_to", pages.pendingAuthorizationPath(handle)), ("client_id", validated.client.clientID)]
                            + (validated.loginHint.map { [("login_hint", $0)] } ?? [])
                    )
                    // With a session present the sign-in was asked for on purpose (prompt, max_age,
                    // another user's id_token_hint): the login page must not skip its form.
                    + (session != nil ? "&prompt=login" : "")
            )
        case .consent(let handle, _, _):
            guard let handle else { return pages.errorPage("This request cannot be completed", "Start again.", status: .badRequest) }
            return BrowserPages.redirect(
                to: pages.apiPrefix + "/consent?" + QueryEncoding.encode([(AuthorizationEndpoint.pendingParameter, handle)])
            )
        }
    }

    /// The swagger's JSON variant of `POST /oauth/authorize`: a first-party app (the
    /// operator's own sign-in front end) submits the request for its signed-in user with
    /// `approved`, using an `account` token issued in the user's browser session
    /// (`AccountTokenAuthenticator`); the decision is the user's consent, and the code is bound
    /// to that session. With `redirect_uri` in the body the answer is the usual redirect;
    /// without it, `{"code", "state"}` as JSON (`{"response"}`, the JARM JWT, for a JWT response
    /// mode). No cookie is read here: a browser session acts
    /// only through the pages.
    private func authorizeJSON(_ request: Request, _ context: CustosRequestContext) async throws -> Response {
        struct Body: Decodable {
            var approved: Bool?
            var userID: String?
            enum CodingKeys: String, CodingKey {
                case approved
                case userID = "user_id"
            }
        }
        // The account surface: no account token is 401 login_required, a token that may not act
        // here 403 access_denied (ErrorClassification).
        func refuse(_ error: any Error) throws -> Response {
            try OAuthErrorMiddleware<CustosRequestContext>.response(for: error, surface: .account, request: request, logger: context.logger)
        }
        let buffer = try await RequestBody.collect(request, limit: pages.bodyLimit)
        let bytes = Array(buffer.readableBytesView)
        guard StrictJSON.problem(in: bytes) == nil,
            let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
            let body = try? JSONDecoder().decode(Body.self, from: Data(bytes))
        else { return try refuse(OAuthError.invalidRequest("the body must be a JSON object")) }
        var parameters: [String: String] = [:]
        for (name, value) in object where name != "approved" && name != "user_id" {
            // RFC 9396 §2: the array itself, as in the PAR JSON body.
            if name == "authorization_details", value is [Any] {
                parameters[name] = try ProtocolBody.authorizationDetailsText(bytes)
                continue
            }
            guard let text = value as? String else { return try refuse(OAuthError.invalidRequest("\(name) must be a string")) }
            if !text.isEmpty { parameters[name] = text }
        }
        let session: AuthorizationEndpoint.SignedIn
        do {
            session = try await pages.server.accountAuthenticator.authenticate(bearer: AdminRoutes.bearerToken(request))
        } catch let denied as AccessDenied {
            return try refuse(denied)
        }
        if let userID = body.userID, userID != session.user.id {
            return try refuse(AccessDenied.forbidden("user_id does not match the authenticated user"))
        }
        let requestedRedirect = parameters["redirect_uri"] != nil
        let decision: PendingAuthorization.Decision? = body.approved.map { $0 ? .approved : .denied }
        let outcome = try await pages.server.authorizationEndpoint.authorize(
            AuthorizationRequest(parameters: parameters),
            session: session,
            decision: decision,
            keepsPending: false
        )
        switch outcome {
        case .code(let code, let redirect):
            if requestedRedirect { return AuthorizationResponseWriter.deliver(redirect, afterPost: true) }
            // JARM: a client that asked for (or, fapi2_message_signing, must have) a signed
            // response gets the one `response` JWT here too, never the plain code.
            if redirect.responseMode.isJWT, let jwt = redirect.parameters.first(where: { $0.name == "response" })?.value {
                return try JSONResponse.make(["response": jwt], noStore: true)
            }
            struct CodeBody: Encodable {
                let code: String
                let state: String?
            }
            return try JSONResponse.make(CodeBody(code: code, state: redirect.state), noStore: true)
        case .redirectError(let error, let redirect):
            if requestedRedirect { return AuthorizationResponseWriter.deliver(redirect, afterPost: true) }
            return try refuse(error)
        case .errorPage(let error):
            return try refuse(error)
        case .signIn:
            return try refuse(AccessDenied.unauthenticated("the user must sign in again"))
        case .consent:
            return try refuse(OAuthError(.consentRequired, "send approved: true or false"))
        }
    }
}
