import CustosCore
import Hummingbird
import NIOCore

/// `GET {apiPrefix}/docs/openapi.json`: the API description for client generators and for
/// schema-driven testing, with the configured prefix and the server's capability lists filled
/// in (`OpenAPIDocument.served`); the bytes are built once, at start-up.
struct OpenAPIController {
    private let body: ByteBuffer

    init(apiPrefix: String, server: AuthorizationServer) throws {
        body = ByteBuffer(bytes: try OpenAPIDocument.served(apiPrefix: apiPrefix, capabilities: .init(server: server)))
    }

    func register(on group: RouterGroup<CustosRequestContext>) {
        group.get("/docs/openapi.json", use: document)
    }

    @Sendable func document(_ request: Request, _ context: CustosRequestContext) async throws -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "application/json", .cacheControl: "public, max-age=3600"],
            body: ResponseBody(byteBuffer: body)
        )
    }
}
