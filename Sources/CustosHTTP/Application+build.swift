import CustosCore
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ServiceLifecycle

/// Builds the HTTP application around an `AuthorizationServer`. Tests call this in-process;
/// the executable calls it and runs the result.
public func buildApplication(
    configuration: HTTPConfiguration,
    server: AuthorizationServer,
    logger: Logger,
    services: [any Service] = []
) async throws -> some ApplicationProtocol {
    let router = try await buildRouter(configuration: configuration, server: server)
    let http1 = HTTP1Channel.Configuration(
        additionalChannelHandlers: [RequestDeadlineHandler(timeout: TimeAmount(configuration.requestTimeout))],
        idleTimeout: .seconds(30)
    )
    let listener: HTTPServerBuilder
    if let tls = configuration.tls {
        listener = HTTPServerBuilder { responder in
            try MutualTLSChannel(HTTP1Channel(responder: responder, configuration: http1), configuration: tls)
        }
    } else {
        listener = .http1(configuration: http1)
    }
    return Application(
        router: router,
        server: listener,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "custos"),
        services: services,
        logger: logger
    )
}

/// Where clients reach the endpoints with their certificate (RFC 8705 §5): a separate mTLS host
/// when one is configured, else the issuer when this listener or a trusted proxy takes client
/// certificates; nil when nothing does.
func mutualTLSBaseURL(_ configuration: HTTPConfiguration, server: AuthorizationServer) -> String? {
    if let base = configuration.mutualTLSBaseURL { return base }
    return configuration.tls != nil || configuration.clientCertificateHeader != nil ? server.configuration.issuer : nil
}

/// The routes: public documents at the root, protocol endpoints and the admin API under the
/// API prefix, each group with its own error format.
public func buildRouter(configuration: HTTPConfiguration, server: AuthorizationServer) async throws -> Router<CustosRequestContext> {
    let router = Router(context: CustosRequestContext.self)
    let proxies = ForwardedClientAddress(trustedProxies: configuration.trustedProxies)
    router.add(middleware: ClientAddressMiddleware(resolver: proxies))
    if let header = configuration.clientCertificateHeader {
        router.add(middleware: ClientCertificateMiddleware(header: header, proxies: proxies))
    }
    router.add(middleware: RequestLogMiddleware())
    router.add(
        middleware: NotFoundMiddleware(
            apiPrefix: configuration.apiPrefix,
            postOnlyPaths: [configuration.apiPrefix + PushedAuthorizationController.path]
        )
    )

    let wellKnown = router.group().add(middleware: PublicCORSMiddleware())
    JWKSController(keys: server.keys).register(on: wellKnown)
    DiscoveryController(server: server, apiPrefix: configuration.apiPrefix, mutualTLSBaseURL: mutualTLSBaseURL(configuration, server: server))
        .register(on: wellKnown)

    let api = router.group(RouterPath(configuration.apiPrefix))
    let protocolEndpoints = api.group().add(middleware: OAuthErrorMiddleware()).add(middleware: CORSPreflightMiddleware())
    let presentations = RequestPresentationReader(
        configuration: server.configuration,
        authorities: configuration.clientCertificateAuthorities
    )
    func clientAuthenticated(_ group: RouterGroup<CustosRequestContext>) -> ClientAuthenticatedRoutes {
        ClientAuthenticatedRoutes(group: group, server: server, reader: presentations, bodyLimit: configuration.maximumBodySize)
    }
    TokenController(server: server).register(on: clientAuthenticated(protocolEndpoints))
    RevocationController(server: server).register(on: clientAuthenticated(protocolEndpoints))
    RefreshController(server: server).register(on: clientAuthenticated(protocolEndpoints))
    PushedAuthorizationController(server: server).register(on: clientAuthenticated(protocolEndpoints))
    DPoPNonceController(server: server).register(on: protocolEndpoints)
    RegistrationController(server: server, apiPrefix: configuration.apiPrefix, bodyLimit: configuration.maximumBodySize)
        .register(on: api.group().add(middleware: OAuthErrorMiddleware(surface: .registration)))
    UserInfoController(server: server, bodyLimit: configuration.maximumBodySize).register(
        on: api.group().add(middleware: OAuthErrorMiddleware(surface: .resource))
    )
    for path in ["/oauth/token", "/oauth/revoke", "/oauth/refresh"] {
        protocolEndpoints.on(RouterPath(path), method: .options) { _, _ in Response(status: .noContent) }
    }

    let account = api.group().add(middleware: AdminErrorMiddleware(surface: .account))
    ConsentsAPIController(server: server).register(on: account)
    ClientInfoController(server: server).register(on: account)
    IntrospectionController(server: server, bodyLimit: configuration.maximumBodySize)
        .register(
            protocolEndpoints: clientAuthenticated(protocolEndpoints),
            internalEndpoints: clientAuthenticated(api.group().add(middleware: AdminErrorMiddleware()))
        )

    let admin = api.group("admin").add(middleware: AdminErrorMiddleware())
    let adminRoutes = AdminRoutes(group: admin, authenticator: server.adminAuthenticator)
    ClientsController(clients: server.clients, bodyLimit: configuration.maximumBodySize).register(on: adminRoutes)
    UsersController(users: server.users, endSession: server.endSession, bodyLimit: configuration.maximumBodySize)
        .register(on: adminRoutes)
    KeysController(rotation: server.keyRotation, bodyLimit: configuration.maximumBodySize).register(on: adminRoutes)
    RegistrationTokensController(tokens: server.registrationTokens, bodyLimit: configuration.maximumBodySize).register(on: adminRoutes)

    let pages = BrowserPages(
        server: server,
        renderer: try await PageRenderer.load(overridesFrom: configuration.templatesDirectory),
        cookies: BrowserCookies(issuer: server.configuration.issuer, apiPrefix: configuration.apiPrefix),
        apiPrefix: configuration.apiPrefix,
        bodyLimit: configuration.maximumBodySize
    )
    let browser = api.group().add(middleware: PageErrorMiddleware(pages: pages))
    LoginController(pages: pages).register(on: browser)
    ConsentController(pages: pages).register(on: browser)
    AuthorizationController(pages: pages).register(on: browser)
    EndSessionController(pages: pages).register(on: browser)

    try OpenAPIController(apiPrefix: configuration.apiPrefix, server: server).register(on: api.group())
    router.get("/health") { _, _ in "ok" }
    return router
}
