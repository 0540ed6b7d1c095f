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
            resume[AuthorizationEndpoint.signedInAfterParameter] = String(Int(pages.server.clock.now.timeIntervalSince1970))
            let returnTo = authorizePath(resume)
            return BrowserPages.redirect(
                to: pages.loginPath + "?" + QueryEncoding.encode([("return_to", returnTo), ("client_id", validated.client.clientID)])
                    + (validated.prompt.contains("login") || validated.maxAge != nil ? "&prompt=login" : ""))
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

    /// The authorization request as a relative GET URL, to come back to after sign-in or consent.
    private func authorizePath(_ parameters: [String: String]) -> String {
        pages.apiPrefix + "/oauth/authorize?" + QueryEncoding.encode(parameters.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }
}
