import CustosCore
import HTTPTypes
import Hummingbird

/// Sets `context.clientAddress` from `X-Forwarded-For` when the peer is a trusted proxy
/// (`HTTPConfiguration.trustedProxies`); otherwise the header is ignored and the peer is the
/// client, so a spoofed header changes nothing. Runs before every route.
struct ClientAddressMiddleware: RouterMiddleware {
    typealias Context = CustosRequestContext
    let resolver: ForwardedClientAddress
    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard !resolver.trustedProxies.isEmpty else { return try await next(request, context) }
        var context = context
        context.clientAddress = resolver.resolve(
            peer: context.peerAddress,
            forwardedFor: request.headers[values: Self.forwardedFor]
        )
        return try await next(request, context)
    }
}
