import CustosCore
import Foundation
import Hummingbird

/// `POST /oauth/revoke` (RFC 7009): form-encoded, or JSON as the swagger documents. 200 with
/// an empty body once the revocation is stored, also for unknown tokens (§2.2).
struct RevocationController {
    let server: AuthorizationServer

    func register(on routes: ClientAuthenticatedRoutes) {
        routes.post("/oauth/revoke", credentials: .formOrJSON, revoke)
    }

    @Sendable func revoke(_ request: Request, _ context: CustosRequestContext, _ call: ClientAuthenticatedRequest) async throws -> Response {
        guard let token = call.parameters["token"] else { throw OAuthError.invalidRequest("token is required") }
        try await server.revoker.revoke(token, by: call.client)
        var headers = ClientCORSHeaders.headers(request, client: call.client.client)
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers)
    }
}

/// A protocol body that may be a form (the RFC) or a flat JSON object of strings (the
/// swagger's variant for revoke, refresh and PAR).
enum ProtocolBody {
    static func read(_ request: Request, limit: Int) async throws -> [String: String] {
        guard RequestBody.mediaType(request) == "application/json" else { return try await ProtocolForm.read(request, limit: limit) }
        let buffer = try await RequestBody.collect(request, limit: limit)
        let bytes = Array(buffer.readableBytesView)
        if let problem = StrictJSON.problem(in: bytes) { throw OAuthError.invalidRequest("malformed JSON: \(problem)") }
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
            throw OAuthError.invalidRequest("the body must be a JSON object")
        }
        var parameters: [String: String] = [:]
        for (name, value) in object {
            switch value {
            case let text as String where !text.isEmpty: parameters[name] = text
            case is NSNull: continue
            case let text as String where text.isEmpty: continue
            // RFC 9396 §2: in JSON, `authorization_details` is the array itself (the form
            // carries it as JSON text); kept as that text, read without JSONSerialization's
            // loss of booleans, for the endpoint to parse and judge.
            case is [Any] where name == "authorization_details":
                parameters[name] = try authorizationDetailsText(bytes)
            default: throw OAuthError.invalidRequest("\(name) must be a string")
            }
        }
        return parameters
    }

    /// The `authorization_details` member of the JSON object `bytes`, as the parameter's text.
    static func authorizationDetailsText(_ bytes: [UInt8]) throws -> String {
        guard let members = try? JSONDecoder().decode([String: JSONValue].self, from: Data(bytes)),
            let details = members["authorization_details"]
        else { throw OAuthError(.invalidAuthorizationDetails, "authorization_details is not valid JSON") }
        return AuthorizationDetails.canonicalText(details)
    }
}
