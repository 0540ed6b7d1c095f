import CustosCore
import Hummingbird

/// `GET /oauth/client/{client_id}` (swagger): what a consent page may show about a client —
/// name, logo, links and scopes; nothing secret.
struct ClientInfoController {
    let server: AuthorizationServer

    func register(on group: RouterGroup<CustosRequestContext>) {
        group.get("/oauth/client/:client_id", use: info)
    }

    struct PublicClientInfo: Encodable {
        let clientID: String
        let name: String
        let logoURL: String
        let website: String
        let privacyPolicy: String
        let termsURL: String
        let scopes: [String]
        let tenantID: String

        enum CodingKeys: String, CodingKey {
            case name, website, scopes
            case clientID = "client_id"
            case logoURL = "logo_url"
            case privacyPolicy = "privacy_policy"
            case termsURL = "terms_url"
            case tenantID = "tenant_id"
        }
    }

    @Sendable func info(_ request: Request, _ context: CustosRequestContext) async throws -> Response {
        let clientID = try context.parameters.require("client_id")
        guard let client = try await server.storage.client(clientID: clientID, tenant: server.configuration.tenant), client.status == .active
        else { throw AdminError.notFound("client \(clientID) not found") }
        let info = PublicClientInfo(
            clientID: client.clientID,
            name: client.name,
            logoURL: client.logoURL ?? "",
            website: client.website ?? "",
            privacyPolicy: client.privacyPolicy ?? "",
            termsURL: client.termsURL ?? "",
            scopes: client.scopes,
            tenantID: client.tenant.rawValue
        )
        return try JSONResponse.make(DataEnvelope(info, message: "client found"))
    }
}
