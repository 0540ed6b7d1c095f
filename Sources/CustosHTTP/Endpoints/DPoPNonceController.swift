import CustosCore
import Hummingbird

/// `GET /oauth/dpop/nonce` (the swagger's nonce endpoint): a fresh server nonce (RFC 9449 §8)
/// in the `DPoP-Nonce` header, so that a client can put one in its first proof instead of
/// learning it from a `use_dpop_nonce` refusal. Any node's nonce is accepted by every node.
struct DPoPNonceController {
    let server: AuthorizationServer

    func register(on group: RouterGroup<CustosRequestContext>) {
        group.get("/oauth/dpop/nonce") { _, _ in
            Response(
                status: .ok,
                headers: [
                    ErrorClassification.dpopNonceHeader: server.dpopNonces.issue(), .cacheControl: "no-store",
                    .accessControlExposeHeaders: "DPoP-Nonce",
                ]
            )
        }
    }
}
