import Foundation
import Hummingbird

/// Builds JSON responses. Every response carrying a secret or token also gets
/// `Cache-Control: no-store` (RFC 6749 §5.1), set by the caller through `noStore`.
enum JSONResponse {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        return encoder
    }()

    static func make(
        _ value: some Encodable,
        status: HTTPResponse.Status = .ok,
        noStore: Bool = false,
        headers extra: HTTPFields = [:]
    )
        throws -> Response
    {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if noStore {
            headers[.cacheControl] = "no-store"
            headers[.init("Pragma")!] = "no-cache"
        }
        headers.append(contentsOf: extra)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }
}
