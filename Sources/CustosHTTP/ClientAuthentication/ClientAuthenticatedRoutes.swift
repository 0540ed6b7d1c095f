import CustosCore
import Hummingbird
import Logging

/// Registers the endpoints a client calls with its credentials (token, revocation, refresh,
/// introspection, pushed authorization requests) so that no handler can run without an authenticated caller, the way
/// `AdminRoutes` does for the admin API: the body is read, the presentation read
/// (`RequestPresentationReader`), `ClientAuthenticator` run, and only then the handler is
/// called with the result. A handler cannot be registered without it.
struct ClientAuthenticatedRoutes {
    typealias Context = CustosRequestContext
    // Private: a controller handed these routes cannot reach the group to register a handler
    // around the authentication.
    private let group: RouterGroup<Context>
    private let server: AuthorizationServer
    private let reader: RequestPresentationReader
    private let bodyLimit: Int

    init(group: RouterGroup<Context>, server: AuthorizationServer, reader: RequestPresentationReader, bodyLimit: Int) {
        self.group = group
        self.server = server
        self.reader = reader
        self.bodyLimit = bodyLimit
    }

    /// Where the client credentials of the body come from.
    enum Credentials: Sendable {
        /// A form body (RFC 6749 §3.2), read before authenticating.
        case form
        /// A form, or a flat JSON object of strings (the swagger's variant), read first.
        case formOrJSON
        /// Headers only; the handler reads the body itself (the swagger's JSON introspection).
        case headersOnly
    }

    typealias Handler = @Sendable (Request, Context, ClientAuthenticatedRequest) async throws -> Response
    typealias CallerHandler = @Sendable (Request, Context, IntrospectionCallerRequest) async throws -> Response

    func post(_ path: RouterPath, credentials: Credentials, _ handler: @escaping Handler) {
        let routes = self
        group.post(path) { request, context in
            let parameters = try await routes.parameters(request, credentials)
            let (client, presentation) = try await routes.authenticate(request, context: context, parameters: parameters)
            return try await handler(
                request,
                context,
                ClientAuthenticatedRequest(parameters: parameters, client: client, presentation: presentation)
            )
        }
    }

    /// For endpoints an administrator may call with its bearer token instead (introspection,
    /// RFC 7662 §2.1): a bearer token is checked as an administrator's, anything else as a
    /// client's. `refusals` says how each failure is answered in the endpoint's error format.
    func post(_ path: RouterPath, credentials: Credentials, orAdministrator refusals: AdministratorAlternative, _ handler: @escaping CallerHandler) {
        let routes = self
        group.post(path) { request, context in
            if let refusal = refusals.missingCredentials, AdminRoutes.bearerToken(request) == nil, request.headers[.authorization] == nil {
                throw refusal
            }
            let parameters = try await routes.parameters(request, credentials)
            let caller: IntrospectionCallerRequest.Caller
            if let bearer = AdminRoutes.bearerToken(request) {
                do {
                    _ = try await routes.server.adminAuthenticator.authenticate(bearer: bearer)
                } catch {
                    throw refusals.administrator(error)
                }
                caller = .administrator
            } else {
                do {
                    let (client, presentation) = try await routes.authenticate(request, context: context, parameters: parameters)
                    caller = .client(client, presentation)
                } catch let limited as RateLimited {
                    throw limited
                } catch {
                    throw refusals.client(error)
                }
            }
            return try await handler(request, context, IntrospectionCallerRequest(parameters: parameters, caller: caller))
        }
    }

    private func parameters(_ request: Request, _ credentials: Credentials) async throws -> [String: String] {
        switch credentials {
        case .form: try await ProtocolForm.read(request, limit: bodyLimit)
        case .formOrJSON: try await ProtocolBody.read(request, limit: bodyLimit)
        case .headersOnly: [:]
        }
    }

    /// Throws `RateLimited` when the claimed client_id failed too often from this client address.
    private func authenticate(
        _ request: Request,
        context: Context,
        parameters: [String: String]
    ) async throws -> (AuthenticatedClient, RequestPresentation) {
        let presentation = try await reader.read(request, certificate: context.clientCertificate, parameters: parameters)
        do {
            return (try await server.clientAuthenticator.authenticate(presentation, source: context.clientAddress), presentation)
        } catch let limited as RateLimited {
            // Brute force against a client's credentials is an event an operator must see
            // (OAuth 2.1 §2.4.1, RFC 6819 §4.3.5); the client_id is not a secret.
            context.logger.notice(
                "client authentication throttled",
                metadata: [
                    "client_id": "\(presentation.credentials.claimedClientID ?? "")",
                    "client.address": "\(context.clientAddress)", "retry_after": "\(limited.retryAfter)",
                ]
            )
            throw limited
        }
    }
}

/// What a client-authenticated handler receives: the parameters of the body, the client
/// and how it authenticated, and everything else the request presented.
struct ClientAuthenticatedRequest: Sendable {
    let parameters: [String: String]
    let client: AuthenticatedClient
    let presentation: RequestPresentation
}

/// What an endpoint open to clients and administrators receives.
struct IntrospectionCallerRequest: Sendable {
    enum Caller: Sendable {
        case administrator
        case client(AuthenticatedClient, RequestPresentation)
    }
    let parameters: [String: String]
    let caller: Caller
}

/// How an endpoint that also admits administrators answers each failure in its own format.
struct AdministratorAlternative: Sendable {
    /// Thrown when neither a bearer token nor any Authorization header came; nil lets client
    /// authentication decide (a client may send its credentials in the body).
    var missingCredentials: (any Error & Sendable)?
    /// Maps a failed administrator token check.
    var administrator: @Sendable (any Error) -> any Error
    /// Maps a failed client authentication (`RateLimited` is never mapped).
    var client: @Sendable (any Error) -> any Error
}
