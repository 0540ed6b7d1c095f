import CustosCore
import Hummingbird

/// The CORS answer for browser-based clients on client-authenticated endpoints:
/// `Access-Control-Allow-Origin` only when the request's `Origin` is one the authenticated
/// client registered.
enum ClientCORSHeaders {
    static func headers(_ request: Request, client: OAuthClient) -> HTTPFields {
        guard let origin = request.headers[.origin], client.corsOrigins.contains(origin.lowercased()) else { return [:] }
        return [.accessControlAllowOrigin: origin, .vary: "Origin"]
    }
}
