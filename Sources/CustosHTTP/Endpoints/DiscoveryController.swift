import CustosCore
import Hummingbird

/// `/.well-known/oauth-authorization-server` (RFC 8414) and `/.well-known/openid-configuration`:
/// one document listing exactly what this server supports today.
struct DiscoveryController {
    let server: AuthorizationServer
    let apiPrefix: String

    func register(on group: RouterGroup<CustosRequestContext>) {
        group.get("/.well-known/oauth-authorization-server", use: metadata)
        group.get("/.well-known/openid-configuration", use: metadata)
    }

    struct Metadata: Encodable {
        let issuer: String
        let tokenEndpoint: String
        let jwksURI: String
        let grantTypesSupported: [String]
        let tokenEndpointAuthMethodsSupported: [String]
        let scopesSupported: [String]
        let responseTypesSupported: [String]

        enum CodingKeys: String, CodingKey {
            case issuer
            case tokenEndpoint = "token_endpoint"
            case jwksURI = "jwks_uri"
            case grantTypesSupported = "grant_types_supported"
            case tokenEndpointAuthMethodsSupported = "token_endpoint_auth_methods_supported"
            case scopesSupported = "scopes_supported"
            case responseTypesSupported = "response_types_supported"
        }
    }

    @Sendable func metadata(_ request: Request, _ context: CustosRequestContext) async throws -> Response {
        let configuration = server.configuration
        let document = Metadata(
            issuer: configuration.issuer, tokenEndpoint: configuration.endpoint(apiPrefix + "/oauth/token"),
            jwksURI: configuration.endpoint("/.well-known/jwks.json"),
            grantTypesSupported: server.tokenEndpoint.supportedGrantTypes.map(\.rawValue),
            tokenEndpointAuthMethodsSupported: [
                ClientAuthenticationMethod.clientSecretBasic.rawValue, ClientAuthenticationMethod.clientSecretPost.rawValue,
            ],
            scopesSupported: ScopeRegistry(additional: configuration.additionalScopes).known.sorted(),
            responseTypesSupported: [])
        return try JSONResponse.make(document, headers: [.cacheControl: "public, max-age=300"])
    }
}
