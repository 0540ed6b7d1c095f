import CustosCore
import Foundation
import Hummingbird

/// `POST /oauth/register` (RFC 7591) and `GET`/`PUT`/`DELETE /oauth/register/{client_id}`
/// (RFC 7592), in the flat RFC shapes standard clients expect. Errors are RFC 7591 §3.2.2
/// JSON (`invalid_redirect_uri`, `invalid_client_metadata`); a bad registration access token
/// is 401, too many registrations from one address 429 `rate_limit_exceeded`.
struct RegistrationController {
    let server: AuthorizationServer
    let apiPrefix: String
    let bodyLimit: Int

    func register(on group: RouterGroup<CustosRequestContext>) {
        group.post("/oauth/register", use: create)
        group.get("/oauth/register/:client_id", use: read)
        group.put("/oauth/register/:client_id", use: replace)
        group.delete("/oauth/register/:client_id", use: delete)
    }

    @Sendable func create(_ request: Request, _ context: CustosRequestContext) async throws -> Response {
        let metadata = try await Self.metadata(from: request, limit: bodyLimit)
        let registered = try await server.registration.register(
            metadata,
            initialAccessToken: AdminRoutes.bearerToken(request),
            ip: context.clientAddress.throttleKey
        )
        return try document(registered.client, secret: registered.secret, token: registered.registrationAccessToken, status: .created)
    }

    @Sendable func read(_ request: Request, _ context: CustosRequestContext) async throws -> Response {
        let token = AdminRoutes.bearerToken(request)
        let client = try await server.registration.read(
            clientID: try context.parameters.require("client_id"),
            registrationAccessToken: token
        )
        // RFC 7592 §3: the client information response carries the registration access
        // token (REQUIRED); the one just verified is echoed, as the token is not rotated.
        return try document(client, secret: nil, token: token, status: .ok)
    }

    @Sendable func replace(_ request: Request, _ context: CustosRequestContext) async throws -> Response {
        let clientID = try context.parameters.require("client_id")
        let token = AdminRoutes.bearerToken(request)
        _ = try await server.registration.read(clientID: clientID, registrationAccessToken: token)
        let metadata = try await Self.metadata(from: request, limit: bodyLimit)
        // RFC 7592 §2.2: the body names the client it replaces.
        if let named = metadata.clientID, named != clientID {
            throw OAuthError(.invalidClientMetadata, "client_id does not match")
        }
        let client = try await server.registration.replace(
            clientID: clientID,
            registrationAccessToken: token,
            with: metadata
        )
        return try document(client, secret: nil, token: token, status: .ok)
    }

    @Sendable func delete(_ request: Request, _ context: CustosRequestContext) async throws -> Response {
        try await server.registration.delete(
            clientID: try context.parameters.require("client_id"),
            registrationAccessToken: AdminRoutes.bearerToken(request)
        )
        return Response(status: .noContent, headers: [.cacheControl: "no-store"])
    }

    // MARK: Reading

    /// The RFC 7591 body, decoded strictly: malformed JSON (`StrictJSON`), a non-object, a
    /// member of the wrong JSON type (`true` is not `1`) or an unknown grant type is
    /// `invalid_client_metadata` naming the member.
    static func metadata(from request: Request, limit: Int) async throws -> RegistrationMetadata {
        guard RequestBody.mediaType(request) == "application/json" else {
            throw OAuthError(.invalidClientMetadata, "the body must be application/json")
        }
        let buffer = try await RequestBody.collect(request, limit: limit)
        let bytes = Array(buffer.readableBytesView)
        if let problem = StrictJSON.problem(in: bytes) {
            throw OAuthError(.invalidClientMetadata, "malformed JSON: \(problem)")
        }
        do {
            return try RegistrationMetadata.decode(from: Data(bytes))
        } catch let error as DecodingError {
            throw OAuthError(.invalidClientMetadata, Self.describe(error))
        }
    }

    static func describe(_ error: DecodingError) -> String {
        func field(_ path: [any CodingKey]) -> String {
            path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined()
        }
        func expected(_ type: Any.Type) -> String {
            switch type {
            case is String.Type: "a string"
            case is Bool.Type: "a boolean"
            case is Int.Type: "an integer"
            case is [String].Type: "an array of strings"
            case is [String: JSONValue].Type: "a JSON object"
            default: "of another JSON type"
            }
        }
        switch error {
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            guard !context.codingPath.isEmpty else { return "the body must be a JSON object" }
            return "\(field(context.codingPath)) must be \(expected(type))"
        case .dataCorrupted(let context):
            guard !context.codingPath.isEmpty else { return "the body must be a JSON object" }
            return "\(field(context.codingPath)): \(context.debugDescription)"
        case .keyNotFound(let key, _):
            return "\(key.stringValue) is required"
        @unknown default:
            return "the body is not valid client metadata"
        }
    }

    // MARK: Writing

    /// The registration members of `metadata` (RFC 7591 §2): its encoded members in their wire
    /// names, less what is not registration metadata, with RFC 7591's forms of the members
    /// Custos keeps differently (one `token_endpoint_auth_method`, `jwks` as an object).
    static func members(of metadata: ClientMetadata) throws -> [String: JSONValue] {
        var body = try metadata.members()
        for member in ClientMetadata.notRegistrationMembers { body[member.rawValue] = nil }
        body["token_endpoint_auth_method"] = .string(metadata.authMethods.first?.rawValue ?? "client_secret_basic")
        body["response_types"] = .array(metadata.grantTypes.contains(.authorizationCode) ? [.string("code")] : [])
        body["jwks"] = metadata.jwks.flatMap { try? JSONDecoder().decode(JSONValue.self, from: Data($0.utf8)) }
        // Shown once set (registration reads it: `RegistrationMetadata.fapiProfile`).
        if metadata.fapiProfile != .none { body[ClientMetadata.CodingKeys.fapiProfile.rawValue] = .string(metadata.fapiProfile.rawValue) }
        return body
    }

    /// RFC 7591 §3.2.1: the registered metadata (`members(of:)`), with the credentials on
    /// creation.
    private func document(_ client: OAuthClient, secret: String?, token: String?, status: HTTPResponse.Status) throws -> Response {
        var body = try Self.members(of: client.metadata)
        body["client_id"] = .string(client.clientID)
        body["client_id_issued_at"] = .integer(Int64(client.createdAt.timeIntervalSince1970))
        body["registration_client_uri"] = .string(server.configuration.endpoint(apiPrefix + "/oauth/register/" + client.clientID))
        if let secret {
            body["client_secret"] = .string(secret)
            body["client_secret_expires_at"] = .integer(0)
        }
        if let token { body["registration_access_token"] = .string(token) }
        let data = try JSONResponse.encoder.encode(body)
        return Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store", .init("Pragma")!: "no-cache"],
            body: .init(byteBuffer: ByteBuffer(bytes: data))
        )
    }
}
