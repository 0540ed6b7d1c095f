import CustosCore
import Hummingbird

/// `GET /.well-known/jwks.json`: the public keys (RFC 7517 §5) with kid, alg and use; keys
/// announced ahead of use and retired keys still inside their tokens' lifetime included.
struct JWKSController {
    let keys: SigningKeySet

    func register(on group: RouterGroup<CustosRequestContext>) {
        group.get("/.well-known/jwks.json", use: jwks)
    }

    struct Document: Encodable {
        let keys: [[String: String]]
    }

    @Sendable func jwks(_ request: Request, _ context: CustosRequestContext) async throws -> Response {
        try JSONResponse.make(
            Document(keys: keys.publishedKeys.map(\.jwk)), headers: [.cacheControl: "public, max-age=300"])
    }
}
