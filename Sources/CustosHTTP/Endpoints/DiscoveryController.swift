import CustosCore
import Foundation
import Hummingbird
import NIOCore
import Synchronization

/// `/.well-known/oauth-authorization-server` (RFC 8414) and `/.well-known/openid-configuration`:
/// one document listing exactly what this server supports.
struct DiscoveryController {
    let server: AuthorizationServer
    let apiPrefix: String
    /// The base URL of the endpoints over mutual TLS (RFC 8705 §5 `mtls_endpoint_aliases`): the
    /// issuer when this listener (or a trusted proxy) takes client certificates,
    /// `CUSTOS_MTLS_BASE_URL` when a separate host does; nil announces no aliases.
    let mutualTLSBaseURL: String?
    /// What can change while the server runs: the signing algorithms (a key added later) and
    /// the authorization details types clients registered.
    private let document = CachedDocument<Version>()
    private let clientTypes = ClientAuthorizationDetailsTypes()

    struct Version: Equatable, Sendable {
        var algorithms: [SigningAlgorithm]
        var authorizationDetailsTypes: [String]
    }

    init(server: AuthorizationServer, apiPrefix: String, mutualTLSBaseURL: String? = nil) {
        self.server = server
        self.apiPrefix = apiPrefix
        self.mutualTLSBaseURL = mutualTLSBaseURL
    }

    func register(on group: RouterGroup<CustosRequestContext>) {
        group.get("/.well-known/oauth-authorization-server", use: metadata)
        group.get("/.well-known/openid-configuration", use: metadata)
    }

    @Sendable func metadata(_ request: Request, _ context: CustosRequestContext) async throws -> Response {
        let types = await clientTypes.types(server: server)
        let body = try document.body(for: Version(algorithms: server.keys.signingAlgorithms, authorizationDetailsTypes: types)) {
            ByteBuffer(bytes: try JSONResponse.encoder.encode(AnyEncodableDictionary(makeDocument(authorizationDetailsTypes: types))))
        }
        return Response(
            status: .ok,
            headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "public, max-age=300"],
            body: ResponseBody(byteBuffer: body)
        )
    }

    private func makeDocument(authorizationDetailsTypes: [String]) -> [String: any Encodable & Sendable] {
        let configuration = server.configuration
        func url(_ path: String) -> String { configuration.endpoint(apiPrefix + path) }
        // Exactly the methods a registered verifier proves. Public clients (`none`) present
        // only their client_id at the token and revocation endpoints; introspection is for
        // authenticated callers only.
        let supportedMethods = server.clientAuthenticator.supportedMethods
        let publicClientMethods = supportedMethods.map(\.rawValue)
        let authMethods = supportedMethods.filter { $0 != .none }.map(\.rawValue)
        let assertionAlgorithms = SigningAlgorithm.allCases.map(\.rawValue) + ["HS256"]
        var document: [String: any Encodable & Sendable] = [
            "issuer": configuration.issuer,
            "authorization_endpoint": url("/oauth/authorize"),
            "token_endpoint": url("/oauth/token"),
            "introspection_endpoint": url("/oauth/introspect"),
            "revocation_endpoint": url("/oauth/revoke"),
            "jwks_uri": configuration.endpoint("/.well-known/jwks.json"),
            "scopes_supported": ScopeRegistry(additional: configuration.additionalScopes).known.sorted(),
            // `code id_token` (the hybrid flow) is for fapi_profile fapi1 clients only.
            "response_types_supported": ["code", "code id_token"],
            // JARM §3: the `.jwt` modes, signed with `authorization_signing_alg_values_supported`.
            "response_modes_supported": ResponseMode.allCases.map(\.rawValue),
            "authorization_signing_alg_values_supported": server.keys.signingAlgorithms.map(\.rawValue),
            "grant_types_supported": server.tokenEndpoint.supportedGrantTypes.map(\.rawValue),
            "token_endpoint_auth_methods_supported": publicClientMethods,
            "token_endpoint_auth_signing_alg_values_supported": assertionAlgorithms,
            "introspection_endpoint_auth_methods_supported": authMethods,
            "introspection_endpoint_auth_signing_alg_values_supported": assertionAlgorithms,
            "revocation_endpoint_auth_methods_supported": publicClientMethods,
            "revocation_endpoint_auth_signing_alg_values_supported": assertionAlgorithms,
            "code_challenge_methods_supported": ["S256"],
            "dpop_signing_alg_values_supported": DPoPProofVerifier.supportedAlgorithms.map(\.rawValue),
            "authorization_response_iss_parameter_supported": true,
            "subject_types_supported": ["public", "pairwise"],
            "userinfo_endpoint": url("/oauth/userinfo"),
            "registration_endpoint": url("/oauth/register"),
            "end_session_endpoint": url("/oauth/logout"),
            "backchannel_logout_supported": true,
            "backchannel_logout_session_supported": true,
            "frontchannel_logout_supported": true,
            "frontchannel_logout_session_supported": true,
            "id_token_signing_alg_values_supported": server.keys.signingAlgorithms.map(\.rawValue),
            "userinfo_signing_alg_values_supported": server.keys.signingAlgorithms.map(\.rawValue),
            // RFC 9701 §7: the algorithms of signed introspection answers (`IntrospectionController`).
            "introspection_signing_alg_values_supported": server.keys.signingAlgorithms.map(\.rawValue),
            "claims_supported": ClaimsProvider.supportedClaims,
            "claims_parameter_supported": true,
            "request_parameter_supported": true,
            "request_uri_parameter_supported": true,
            "require_request_uri_registration": true,
            // RFC 9126 §5. The global setting only: a client's own requirement is its metadata.
            "pushed_authorization_request_endpoint": url(PushedAuthorizationController.path),
            "require_pushed_authorization_requests": configuration.requiresPushedAuthorizationRequests,
            "request_object_signing_alg_values_supported": SigningAlgorithm.allCases.map(\.rawValue) + ["none"],
            "acr_values_supported": [AuthorizationEndpoint.passwordACR],
            "ui_locales_supported": ["en"],
            "prompt_values_supported": ["none", "login", "consent"],
            // RFC 8705 §3.3: `MutualTLSBinding` binds the tokens of clients that ask for it.
            "tls_client_certificate_bound_access_tokens": true,
            // RFC 9396 §10: the operator's types and those clients registered.
            "authorization_details_types_supported": authorizationDetailsTypes,
        ]
        if let aliases = mutualTLSEndpointAliases { document["mtls_endpoint_aliases"] = aliases }
        return document
    }

    /// RFC 8705 §5: the endpoints a client calls with its certificate, under `mutualTLSBaseURL`.
    private var mutualTLSEndpointAliases: [String: String]? {
        guard let base = mutualTLSBaseURL else { return nil }
        let root = base.hasSuffix("/") ? String(base.dropLast()) : base
        func alias(_ path: String) -> String { root + apiPrefix + path }
        return [
            "token_endpoint": alias("/oauth/token"),
            "pushed_authorization_request_endpoint": alias("/oauth/pushed-authorization"),
            "introspection_endpoint": alias("/oauth/introspect"),
            "revocation_endpoint": alias("/oauth/revoke"),
            "userinfo_endpoint": alias("/oauth/userinfo"),
        ]
    }
}

/// RFC 9396 §10 `authorization_details_types_supported`: the operator's types
/// (`CUSTOS_AUTHORIZATION_DETAILS_TYPES`) and the types the tenant's active clients registered,
/// sorted. The client part is one query, kept for `lifetime` so that a discovery fetch does not
/// read the clients every time: a type an administrator registers shows within that time (the
/// document's own `Cache-Control` lets caches keep it for 300 s anyway). Discovery must keep
/// answering while the database does not (relying parties fetch it before anything else), so
/// a failed read answers with the last list known, or the operator's types alone.
final class ClientAuthorizationDetailsTypes: Sendable {
    static let lifetime: TimeInterval = 30
    private let cached = Mutex<(at: Date, types: [String])?>(nil)

    func types(server: AuthorizationServer) async -> [String] {
        await types(operatorTypes: server.configuration.authorizationDetailsTypes, now: server.clock.now) {
            try await server.storage.authorizationDetailsTypes(tenant: server.configuration.tenant)
        }
    }

    /// The operator's types and what `read` finds, read at most once per `lifetime`.
    func types(operatorTypes: [String], now: Date, read: () async throws -> [String]) async -> [String] {
        let entry = cached.withLock { $0 }
        if let entry, now.timeIntervalSince(entry.at) < Self.lifetime { return entry.types }
        guard let registered = try? await read() else { return entry?.types ?? Set(operatorTypes).sorted() }
        let types = Set(operatorTypes).union(registered).sorted()
        cached.withLock { $0 = (now, types) }
        return types
    }
}

/// A JSON object of heterogeneous values, for documents with many differently typed members.
struct AnyEncodableDictionary: Encodable {
    let values: [String: any Encodable & Sendable]

    init(_ values: [String: any Encodable & Sendable]) { self.values = values }

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        for (name, value) in values { try container.encode(value, forKey: Key(stringValue: name)) }
    }
}
