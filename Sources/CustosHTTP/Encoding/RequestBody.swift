import Foundation
import Hummingbird
import NIOCore

/// Reads a body up to the configured limit; a larger one is `BodyTooLarge` (413).
enum RequestBody {
    struct TooLarge: Error {}

    static func collect(_ request: Request, limit: Int) async throws -> ByteBuffer {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit { throw TooLarge() }
        do {
            return try await request.body.collect(upTo: limit)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw TooLarge()
        } catch is NIOTooManyBytesError {
            // A chunked body has no Content-Length to refuse up front; collecting stops here.
            throw TooLarge()
        }
    }

    /// The media type without parameters, lowercased (`application/json; charset=utf-8` → `application/json`).
    static func mediaType(_ request: Request) -> String? {
        request.headers[.contentType].map {
            $0.split(separator: ";", maxSplits: 1)[0].trimmingCharacters(in: .whitespaces).lowercased()
        }
    }
}
