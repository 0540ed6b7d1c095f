import CustosCore
import Foundation
import Hummingbird

/// `POST /oauth/token` (RFC 6749 §3.2): read the form strictly, authenticate the client,
/// hand the request to the core `TokenEndpoint`, write the JSON with `no-store`.
struct TokenController {
    let server: AuthorizationServer
    let bodyLimit: Int

    func register(on group: RouterGroup<CustosRequestContext>) {
        group.post("/oauth/token", use: token)
    }

    @Sendable func token(_ request: Request, _ context: CustosRequestContext) async throws -> Response {
        let parameters = try await ProtocolForm.read(request, limit: bodyLimit)
        let client = try await ClientRequestAuthentication.authenticate(request, parameters: parameters, server: server, context: context)
        let response = try await server.tokenEndpoint.exchange(TokenRequest(parameters: parameters), client: client)
        return try JSONResponse.make(response, noStore: true, headers: ClientRequestAuthentication.corsHeaders(request, client: client.client))
    }
}

/// Reads a protocol endpoint's form body (RFC 6749 §3.2: POST, form-encoded).
enum ProtocolForm {
    static func read(_ request: Request, limit: Int) async throws -> [String: String] {
        guard RequestBody.mediaType(request) == "application/x-www-form-urlencoded" else {
            throw OAuthError.invalidRequest("the body must be application/x-www-form-urlencoded")
        }
        let buffer = try await RequestBody.collect(request, limit: limit)
        guard let text = String(validating: buffer.readableBytesView, as: UTF8.self) else {
            throw OAuthError.invalidRequest("the body is not valid UTF-8")
        }
        return try FormParameters.parse(text)
    }
}

/// Finds the client credentials of a request: `Authorization: Basic` (RFC 6749 §2.3.1, with
/// id and secret form-URL-decoded after base64) and `client_id`/`client_secret` in the body.
enum ClientCredentialsReader {
    static func read(_ request: Request, parameters: [String: String]) throws -> PresentedClientCredentials {
        var presented = PresentedClientCredentials(
            bodyClientID: parameters["client_id"],
            bodySecret: parameters["client_secret"],
            assertion: parameters["client_assertion"],
            assertionType: parameters["client_assertion_type"]
        )
        if let header = request.headers[.authorization] {
            let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
            guard parts.count == 2, parts[0].lowercased() == "basic" else {
                throw OAuthError.invalidClient("unsupported Authorization scheme at this endpoint")
            }
            guard let decoded = Data(base64Encoded: String(parts[1])).flatMap({ String(data: $0, encoding: .utf8) }),
                let colon = decoded.firstIndex(of: ":"),
                let id = FormParameters.decode(decoded[..<colon]),
                let secret = FormParameters.decode(decoded[decoded.index(after: colon)...]),
                !id.isEmpty
            else { throw OAuthError.invalidClient("malformed Basic credentials") }
            presented.basic = BasicCredentials(id: id, secret: secret)
        }
        return presented
    }
}
