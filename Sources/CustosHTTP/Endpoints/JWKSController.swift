import CustosCore
import Foundation
import Hummingbird
import NIOCore

/// `GET /.well-known/jwks.json`: the public keys (RFC 7517 §5) with kid, alg and use; keys
/// announced ahead of use and retired keys still inside their tokens' lifetime included.
struct JWKSController {
    let keys: SigningKeySet
    private let document = CachedDocument<[String]>()

    init(keys: SigningKeySet) {
        self.keys = keys
    }

    func register(on group: RouterGroup<CustosRequestContext>) {
        group.get("/.well-known/jwks.json", use: jwks)
    }

    struct Document: Encodable {
        let keys: [[String: String]]
    }

    @Sendable func jwks(_ request: Request, _ context: CustosRequestContext) async throws -> Response {
        let published = keys.publishedKeys
        let body = try document.body(for: published.map(\.kid)) {
            ByteBuffer(bytes: try JSONResponse.encoder.encode(Document(keys: published.map(\.jwk))))
        }
        return Response(
            status: .ok,
            headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "public, max-age=300"],
            body: ResponseBody(byteBuffer: body)
        )
    }
}
