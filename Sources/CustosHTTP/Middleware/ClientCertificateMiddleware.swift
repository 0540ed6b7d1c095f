import CustosCore
import HTTPTypes
import Hummingbird

/// Sets `context.clientCertificate` from the header a TLS-terminating proxy sets
/// (`HTTPConfiguration.clientCertificateHeader`, e.g. `X-SSL-Client-Cert`), believed only when
/// the TCP peer is a trusted proxy (`HTTPConfiguration.trustedProxies`). From anyone else the
/// header is ignored: a client that could name its own certificate would pass any mutual-TLS
/// check (RFC 8705 §7.2 on terminating proxies). Parsing waits until an endpoint reads it.
struct ClientCertificateMiddleware: RouterMiddleware {
    typealias Context = CustosRequestContext
    let header: HTTPField.Name
    let proxies: ForwardedClientAddress

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard proxies.isTrusted(context.peerAddress), let value = request.headers[header], !value.isEmpty else {
            return try await next(request, context)
        }
        var context = context
        context.clientCertificate = .forwarded(value)
        return try await next(request, context)
    }
}
