import Hummingbird
import NIOCore

/// `GET {apiPrefix}/docs/openapi.json`: the API description for client generators and for
/// schema-driven testing. The document is written relative to the default prefix `/api/v1`
/// (its `servers` entry); the bytes are built once.
struct OpenAPIController {
    private let body = ByteBuffer(string: OpenAPIDocument.json)

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
