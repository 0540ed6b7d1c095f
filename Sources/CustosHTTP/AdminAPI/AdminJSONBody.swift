import Foundation
import Hummingbird

/// Reads an admin request's JSON body: media type (415), size (413), duplicate members and
/// nesting (400), then decoding, where a value of the wrong type is a 400 naming its field.
enum AdminJSONBody {
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, limit: Int, optional: Bool = false) async throws -> T? {
        let buffer = try await RequestBody.collect(request, limit: limit)
        if buffer.readableBytes == 0 {
            if optional { return nil }
            throw AdminHTTPError(status: .badRequest, message: "a JSON request body is required")
        }
        guard RequestBody.mediaType(request) == "application/json" else {
            throw AdminHTTPError(status: .unsupportedMediaType, message: "the request body must be application/json")
        }
        let bytes = Array(buffer.readableBytesView)
        if let problem = StrictJSON.problem(in: bytes) {
            throw AdminHTTPError(status: .badRequest, message: "malformed JSON: \(problem)")
        }
        do {
            return try JSONDecoder().decode(T.self, from: Data(bytes))
        } catch let DecodingError.typeMismatch(expected, context) {
            throw AdminHTTPError(
                status: .badRequest,
                message: "\(fieldName(context.codingPath)): must be \(describe(expected))"
            )
        } catch let DecodingError.valueNotFound(expected, context) {
            throw AdminHTTPError(
                status: .badRequest,
                message: "\(fieldName(context.codingPath)): must be \(describe(expected)), not null"
            )
        } catch {
            throw AdminHTTPError(status: .badRequest, message: "malformed JSON: the body is not a valid JSON object")
        }
    }

    static func fieldName(_ path: [any CodingKey]) -> String {
        path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
    }

    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "a boolean"
        case is Int.Type: "an integer"
        case is [String].Type, is [Any].Type: "an array of strings"
        default: "of the documented type"
        }
    }
}
