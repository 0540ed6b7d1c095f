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
        try await answering {
            let metadata = try await Self.metadata(from: request, limit: bodyLimit)
            let registered = try await server.registration.register(
                metadata,
                initialAccessToken: AdminRoutes.bearerToken(request),
                ip: context.clientAddress.throttleKey
            )
            return try document(registered.client, secret: registered.secret, token: registered.registrationAccessToken, status: .created)
        }
    }

    @Sendable func read(_ request: Request, _ context: CustosRequestContext) async throws -> Response {
        try await answering {
            let token = AdminRoutes.bearerToken(request)
            let client = try await server.registration.read(
                clientID: try context.parameters.require("client_id"),
                registrationAccessToken: token
            )
            // RFC 7592 §3: the client information response carries the registration access
            // token (REQUIRED); the one just verified is echoed, as the token is not rotated.
            return try document(client, secret: nil, token: token, status: .ok)
        }
    }

    @Sendable func replace(_ request: Request, _ context: CustosRequestContext) async throws -> Response {
        try await answering {
            let clientID = try context.parameters.require("client_id")
            let token = AdminRoutes.bearerToken(request)
            _ = try await server.registration.read(clientID: clientID, registrationAccessToken: token)
            let body = try await Self.object(from: request, limit: bodyLimit)
            // RFC 7592 §2.2: the body names the client it replaces.
            if let named = body["client_id"] as? String, named != clientID {
                throw DynamicClientRegistration.Failure(error: "invalid_client_metadata", description: "client_id does not match")
            }
            let client = try await server.registration.replace(
                clientID: clientID,
                registrationAccessToken: token,
                with: try Self.metadata(from: body)
            )
            return try document(client, secret: nil, token: token, status: .ok)
        }
    }

    @Sendable func delete(_ request: Request, _ context: CustosRequestContext) async throws -> Response {
        try await answering {
            try await server.registration.delete(
                clientID: try context.parameters.require("client_id"),
                registrationAccessToken: AdminRoutes.bearerToken(request)
            )
            return Response(status: .noContent, headers: [.cacheControl: "no-store"])
        }
    }

    // MARK: Errors

    private func answering(_ body: () async throws -> Response) async throws -> Response {
        do {
            return try await body()
        } catch let failure as DynamicClientRegistration.Failure {
            return try errorResponse(failure.error, failure.description, status: .badRequest)
        } catch let denied as AccessDenied {
            switch denied {
            case .unauthenticated(let reason):
                return try errorResponse("invalid_token", reason, status: .unauthorized, extra: [.wwwAuthenticate: "Bearer error=\"invalid_token\""])
            case .forbidden(let reason):
                return try errorResponse("access_denied", reason, status: .forbidden)
            }
        } catch let limited as RateLimited {
            return try errorResponse(
                "rate_limit_exceeded",
                "too many registrations; try again later",
                status: .tooManyRequests,
                extra: [.retryAfter: String(limited.retryAfter)]
            )
        } catch is StorageUnavailable {
            return try errorResponse(
                "temporarily_unavailable",
                "the service is temporarily unavailable; try again shortly",
                status: .serviceUnavailable,
                extra: [.retryAfter: "5"]
            )
        } catch is RequestBody.TooLarge {
            return try errorResponse("invalid_client_metadata", "the request body is too large", status: .contentTooLarge)
        }
    }

    private func errorResponse(_ error: String, _ description: String, status: HTTPResponse.Status, extra: HTTPFields = [:]) throws -> Response {
        try JSONResponse.make(
            OAuthErrorMiddleware<CustosRequestContext>.Body(error: error, errorDescription: description),
            status: status,
            noStore: true,
            headers: extra
        )
    }

    // MARK: Reading

    static func object(from request: Request, limit: Int) async throws -> [String: Any] {
        guard RequestBody.mediaType(request) == "application/json" else {
            throw DynamicClientRegistration.Failure(error: "invalid_client_metadata", description: "the body must be application/json")
        }
        let buffer = try await RequestBody.collect(request, limit: limit)
        let bytes = Array(buffer.readableBytesView)
        if let problem = StrictJSON.problem(in: bytes) {
            throw DynamicClientRegistration.Failure(error: "invalid_client_metadata", description: "malformed JSON: \(problem)")
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
            throw DynamicClientRegistration.Failure(error: "invalid_client_metadata", description: "the body must be a JSON object")
        }
        return object
    }

    static func metadata(from request: Request, limit: Int) async throws -> RegistrationMetadata {
        try metadata(from: try await object(from: request, limit: limit))
    }

    static func metadata(from object: [String: Any]) throws -> RegistrationMetadata {
        func fail(_ field: String, _ expected: String) -> DynamicClientRegistration.Failure {
            DynamicClientRegistration.Failure(error: "invalid_client_metadata", description: "\(field) must be \(expected)")
        }
        func string(_ name: String) throws -> String? {
            guard let value = object[name], !(value is NSNull) else { return nil }
            guard let text = value as? String else { throw fail(name, "a string") }
            return text
        }
        func strings(_ name: String) throws -> [String]? {
            guard let value = object[name], !(value is NSNull) else { return nil }
            guard let list = value as? [Any], list.allSatisfy({ $0 is String }) else { throw fail(name, "an array of strings") }
            return list.compactMap { $0 as? String }
        }
        func bool(_ name: String) throws -> Bool? {
            guard let value = object[name], !(value is NSNull) else { return nil }
            guard let flag = value as? Bool, type(of: value) != type(of: NSNumber(value: 1)) || CFBooleanCheck.isBoolean(value) else {
                throw fail(name, "a boolean")
            }
            return flag
        }
        var metadata = RegistrationMetadata()
        metadata.redirectURIs = try strings("redirect_uris")
        metadata.tokenEndpointAuthMethod = try string("token_endpoint_auth_method")
        metadata.grantTypes = try strings("grant_types")
        metadata.responseTypes = try strings("response_types")
        metadata.clientName = try string("client_name")
        metadata.clientURI = try string("client_uri")
        metadata.logoURI = try string("logo_uri")
        metadata.policyURI = try string("policy_uri")
        metadata.tosURI = try string("tos_uri")
        metadata.jwksURI = try string("jwks_uri")
        metadata.scope = try string("scope")
        if let jwks = object["jwks"], !(jwks is NSNull) {
            guard jwks is [String: Any], let data = try? JSONSerialization.data(withJSONObject: jwks) else { throw fail("jwks", "a JWK Set object") }
            metadata.jwks = String(decoding: data, as: UTF8.self)
        }
        var openID = ClientMetadata()
        openID.contacts = try strings("contacts")
        openID.softwareID = try string("software_id")
        openID.softwareVersion = try string("software_version")
        openID.idTokenSignedResponseAlg = try string("id_token_signed_response_alg")
        openID.userinfoSignedResponseAlg = try string("userinfo_signed_response_alg")
        openID.requestObjectSigningAlg = try string("request_object_signing_alg")
        openID.requestURIs = try strings("request_uris")
        openID.requireSignedRequestObject = try bool("require_signed_request_object")
        openID.subjectType = try string("subject_type")
        openID.sectorIdentifierURI = try string("sector_identifier_uri")
        openID.postLogoutRedirectURIs = try strings("post_logout_redirect_uris")
        openID.backchannelLogoutURI = try string("backchannel_logout_uri")
        openID.backchannelLogoutSessionRequired = try bool("backchannel_logout_session_required")
        openID.frontchannelLogoutURI = try string("frontchannel_logout_uri")
        openID.frontchannelLogoutSessionRequired = try bool("frontchannel_logout_session_required")
        openID.requireAuthTime = try bool("require_auth_time")
        if let age = object["default_max_age"], !(age is NSNull) {
            guard let number = age as? Int else { throw fail("default_max_age", "an integer") }
            openID.defaultMaxAge = number
        }
        metadata.openID = openID
        return metadata
    }

    // MARK: Writing

    /// RFC 7591 §3.2.1: the registered metadata, with the credentials on creation: the
    /// encoded `ClientMetadata` in its wire names, less what is not registration metadata,
    /// with RFC 7591's forms of the members Custos keeps differently.
    private func document(_ client: OAuthClient, secret: String?, token: String?, status: HTTPResponse.Status) throws -> Response {
        var body = try client.metadata.jsonObject()
        for member in Self.notRegistrationMetadata { body[member.rawValue] = nil }
        body["token_endpoint_auth_method"] = client.authMethods.first?.rawValue ?? "client_secret_basic"
        body["response_types"] = client.grantTypes.contains(.authorizationCode) ? ["code"] : []
        body["jwks"] = client.jwks.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) }
        body["client_id"] = client.clientID
        body["client_id_issued_at"] = Int(client.createdAt.timeIntervalSince1970)
        body["registration_client_uri"] = server.configuration.endpoint(apiPrefix + "/oauth/register/" + client.clientID)
        if let secret {
            body["client_secret"] = secret
            body["client_secret_expires_at"] = 0
        }
        if let token { body["registration_access_token"] = token }
        let data = try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys, .withoutEscapingSlashes])
        return Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store", .init("Pragma")!: "no-cache"],
            body: .init(byteBuffer: ByteBuffer(bytes: data))
        )
    }
}

extension RegistrationController {
    /// Members of `ClientMetadata` that registration neither reads nor shows: the
    /// administrator's extensions, the token digest, and the list of authentication methods
    /// (RFC 7591 carries one, `token_endpoint_auth_method`).
    static let notRegistrationMetadata: [ClientMetadata.CodingKeys] = [
        .isConfidential, .corsOrigins, .fapiProfile, .accessTokenFormat, .isResourceServer, .registrationAccessTokenDigest, .authMethods,
    ]
}

/// Foundation on Linux bridges JSON booleans to NSNumber: tell `true` from `1`.
enum CFBooleanCheck {
    static func isBoolean(_ value: Any) -> Bool {
        guard let number = value as? NSNumber else { return false }
        return String(cString: number.objCType) == "c" || type(of: number) == type(of: NSNumber(value: true))
    }
}
