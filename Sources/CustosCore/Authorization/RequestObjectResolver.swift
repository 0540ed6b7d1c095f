import Foundation

/// Request objects (RFC 9101; OpenID Connect Core §6): the authorization request as a JWT,
/// by value (`request`) or by reference (`request_uri`, only a URL the client registered in
/// `request_uris`). `resolve` turns what the browser brought into the parameters the
/// authorization endpoint validates, in three steps:
///
/// 1. **Find the object.** None: the query is the request, except that a client registered
///    with `require_signed_request_object` must send one (RFC 9101 §10.5). By reference: the
///    URI must be registered (OpenID Connect Core §6.2, Registration §2 `request_uris`) and at
///    most `RequestURIFetchLimiter.limit` fetches per client run at once; any fetch failure
///    is `invalid_request_uri`.
/// 2. **Verify it.** Signed: with the client's registered keys under the same algorithm
///    allow-list as client assertions (the registered `request_object_signing_alg` only, and
///    only the profile's algorithms: `EffectiveClientPolicy`), `iss` = client_id, `aud` = the
///    issuer (the only value for FAPI 2.0), `exp` and `nbf` present and at
///    most 60 minutes apart, `nbf` at most 60 minutes old, `jti` single-use until `exp`
///    (RFC 9101 §6.1, §10.8; FAPI 2.0 Message Signing §5.3.1), `typ` absent or
///    `oauth-authz-req+jwt`/`JWT` so that no other kind of token passes as a request object
///    (RFC 8725 §3.11), no `crit` (RFC 7515 §4.1.11: Custos understands no extension).
///    Unsigned (`alg: none`): only from a client that registered
///    `request_object_signing_alg: none`, never from a strict client (below).
/// 3. **Assemble the parameters.** A strict client (a FAPI profile, or
///    `require_signed_request_object`) gets only the object's parameters (RFC 9101 §5, §6.3);
///    for any other client the object's parameters win and the query's parameters the object
///    lacks are merged in (OpenID Connect Core §6.3.3), so, for example, the query's `state`
///    reaches an error redirect. Either way a parameter inside the object — `max_age`,
///    `prompt`, `redirect_uri`… — cannot be overridden from outside it.
///
/// Every failure is thrown as an `OAuthError` for the endpoint to show on its error page: the
/// redirect URI is not trusted until the object is.
public struct RequestObjectResolver: Sendable {
    static let maximumLength = 16 * 1024
    /// FAPI 2.0 Message Signing §5.3.1 (and the FAPI 1.0 Advanced rule it continues): a
    /// request object is valid for at most 60 minutes, and its `nbf` is at most 60 minutes old.
    public static let maximumLifetime: TimeInterval = 3_600
    /// RFC 9101 §10.8 (`oauth-authz-req+jwt`) and the generic `JWT` older clients send;
    /// media types compare case-insensitively (RFC 7515 §4.1.9).
    static let acceptedTypes: Set<String> = ["oauth-authz-req+jwt", "application/oauth-authz-req+jwt", "jwt"]
    /// Registered JWT claims that describe the object, not the authorization request.
    static let objectOnlyClaims: Set<String> = ["iss", "aud", "exp", "nbf", "iat", "jti", "sub", "request", "request_uri"]

    private let keys: ClientKeyResolver
    private let fetcher: any JWKSFetcher
    private let replay: any ReplayCache
    private let fetches: RequestURIFetchLimiter
    private let configuration: ServerConfiguration
    private let clock: any WallClock

    public init(
        keys: ClientKeyResolver,
        fetcher: any JWKSFetcher,
        replay: any ReplayCache,
        fetchLimiter: RequestURIFetchLimiter = RequestURIFetchLimiter(),
        configuration: ServerConfiguration,
        clock: any WallClock
    ) {
        self.keys = keys
        self.fetcher = fetcher
        self.replay = replay
        self.fetches = fetchLimiter
        self.configuration = configuration
        self.clock = clock
    }

    /// The parameters the endpoint validates for `request` from `client` (the client its
    /// query's `client_id` names). Call it for every authorization request, with or without
    /// a request object: without one it returns `request` unchanged, unless the client must
    /// send one.
    public func resolve(_ request: AuthorizationRequest, client: OAuthClient) async throws -> AuthorizationRequest {
        guard let jwt = try await requestObject(in: request, client: client) else {
            if client.policy.requiresSignedRequestObject {
                throw OAuthError.invalidRequest("this client must send its authorization request as a signed request object")
            }
            return request
        }
        let object = try await verify(jwt, client: client)
        let assembled = try assemble(object, query: request, client: client)
        // Last, so that an object refused for any other reason does not use up its jti.
        if let jti = object.jti, let exp = object.exp {
            guard
                try await replay.firstUse(
                    of: "request_object:\(client.clientID):\(jti)",
                    tenant: configuration.tenant,
                    expiresAt: Date(timeIntervalSince1970: exp + configuration.clockLeeway),
                    now: clock.now
                )
            else { throw OAuthError(.invalidRequestObject, "the request object was used already (jti)") }
        }
        return assembled
    }

    /// Whether only the object's parameters count for `client` (RFC 9101 §5), and an unsigned
    /// object is refused.
    static func isStrict(_ client: OAuthClient) -> Bool {
        client.policy.isStrictAboutRequestObjects
    }

    // MARK: 1. Finding the object

    private func requestObject(in request: AuthorizationRequest, client: OAuthClient) async throws -> String? {
        if let value = request["request"] {
            guard request["request_uri"] == nil else { throw OAuthError.invalidRequest("send request or request_uri, not both") }
            return value
        }
        guard let uri = request["request_uri"] else { return nil }
        // OpenID Connect Core §6.2 and Registration §2: the server fetches only what the
        // client registered (discovery says require_request_uri_registration), so a
        // request_uri cannot make the server fetch an arbitrary URL (RFC 9101 §10.4).
        guard let registered = client.openID.requestURIs, registered.contains(uri), uri.hasPrefix("https://") else {
            throw OAuthError(.invalidRequestURI, "the request_uri is not registered for this client")
        }
        guard fetches.acquire(client.clientID) else {
            throw OAuthError(.invalidRequestURI, "too many concurrent request_uri fetches for this client")
        }
        defer { fetches.release(client.clientID) }
        do {
            return try await fetcher.fetch(uri).trimmingCharacters(in: .whitespacesAndNewlines)
        } catch {
            // Whatever failed (address refused, timeout, size, status, cancellation), the
            // client's request cannot be read.
            throw OAuthError(.invalidRequestURI, "the request_uri could not be fetched")
        }
    }

    // MARK: 2. Verifying it

    struct VerifiedObject {
        var claims: [String: Any]
        /// Set for a signed object: the single-use key and until when it is kept.
        var jti: String?
        var exp: Double?
        /// RFC 9396 §3: the `authorization_details` claim (a JSON array) re-encoded as the
        /// parameter's JSON text, read with JSONDecoder so that `true` stays a boolean.
        var authorizationDetails: String?
    }

    static func authorizationDetailsText(in payload: [UInt8]) -> String? {
        guard let members = try? JSONDecoder().decode([String: JSONValue].self, from: Data(payload)),
            let value = members["authorization_details"]
        else { return nil }
        return AuthorizationDetails.canonicalText(value)
    }

    private func verify(_ jwt: String, client: OAuthClient) async throws -> VerifiedObject {
        func invalid(_ description: String) -> OAuthError { OAuthError(.invalidRequestObject, description) }
        guard let jws = ParsedJWS(jwt, maximumLength: Self.maximumLength),
            let header = try? JSONSerialization.jsonObject(with: Data(jws.header)) as? [String: Any],
            let alg = header["alg"] as? String,
            let claims = try? JSONSerialization.jsonObject(with: Data(jws.payload)) as? [String: Any]
        else { throw invalid("the request object is not a JWT") }
        guard header["crit"] == nil else { throw invalid("the request object names critical header parameters (crit)") }
        if let typ = header["typ"] {
            guard let text = typ as? String, Self.acceptedTypes.contains(text.lowercased()) else {
                throw invalid("the request object typ must be oauth-authz-req+jwt or JWT")
            }
        }
        let now = clock.now.timeIntervalSince1970
        let leeway = configuration.clockLeeway
        let registeredAlg = client.openID.requestObjectSigningAlg
        guard alg != "none" else {
            // OpenID Connect Registration §2: unsigned objects only from a client that chose them.
            guard registeredAlg == "none", !Self.isStrict(client) else {
                throw invalid("this client must sign its request objects (alg none is not accepted)")
            }
            guard jws.signature.isEmpty else { throw invalid("an unsigned request object has no signature") }
            if let exp = claims["exp"] as? Double, exp + leeway < now { throw invalid("the request object has expired") }
            if let nbf = claims["nbf"] as? Double, nbf - leeway > now { throw invalid("the request object is not valid yet (nbf)") }
            return VerifiedObject(claims: claims, authorizationDetails: Self.authorizationDetailsText(in: jws.payload))
        }
        // Registration §2: with an algorithm registered, objects signed otherwise are refused.
        guard let algorithm = SigningAlgorithm(rawValue: alg), registeredAlg.map({ $0 == alg }) ?? true,
            client.policy.allows(algorithm)
        else { throw invalid("the request object algorithm is not allowed for this client") }
        guard try await keys.verify(jws, algorithm: algorithm, kid: header["kid"] as? String, client: client) else {
            throw invalid("the request object signature does not verify with the keys of the client")
        }
        // RFC 9101 §6.1 and §10.2: a signed object names its issuer and its audience, so an
        // object made for another server (or by another client) is refused.
        guard claims["iss"] as? String == client.clientID else { throw invalid("the request object iss must be the client_id") }
        let audiences = (claims["aud"] as? String).map { [$0] } ?? (claims["aud"] as? [Any])?.compactMap { $0 as? String } ?? []
        let audienceIsIssuer =
            client.policy.requiresIssuerAsSoleAudience ? audiences == [configuration.issuer] : audiences.contains(configuration.issuer)
        guard audienceIsIssuer else { throw invalid("the request object aud must be the issuer of this server") }
        guard let exp = claims["exp"] as? Double, let nbf = claims["nbf"] as? Double else {
            throw invalid("a signed request object must carry exp and nbf")
        }
        guard exp + leeway > now else { throw invalid("the request object has expired") }
        guard nbf - leeway <= now else { throw invalid("the request object is not valid yet (nbf)") }
        guard exp - nbf <= Self.maximumLifetime else { throw invalid("the request object is valid for more than 60 minutes") }
        guard now - nbf <= Self.maximumLifetime else { throw invalid("the request object nbf is more than 60 minutes old") }
        guard let jti = claims["jti"] as? String, !jti.isEmpty, jti.utf8.count <= 256 else {
            throw invalid("a signed request object must carry a jti")
        }
        return VerifiedObject(claims: claims, jti: jti, exp: exp, authorizationDetails: Self.authorizationDetailsText(in: jws.payload))
    }

    // MARK: 3. Assembling the parameters

    private func assemble(_ object: VerifiedObject, query: AuthorizationRequest, client: OAuthClient) throws -> AuthorizationRequest {
        let claims = object.claims
        // OpenID Connect Core §6.1; RFC 9101 §5: client_id (and response_type) outside the
        // object must be the ones inside it.
        if let inside = claims["client_id"], inside as? String != client.clientID {
            throw OAuthError(.invalidRequestObject, "the request object client_id is not the client_id of the request")
        }
        if let inside = claims["response_type"], let outside = query["response_type"], inside as? String != outside {
            throw OAuthError.invalidRequest("response_type differs from the one in the request object")
        }
        if client.policy.requiresEveryParameterInRequestObject { try Self.checkEveryParameterInObject(claims, query: query) }
        var parameters: [String: String] = [:]
        if !Self.isStrict(client) {
            for (name, value) in query.parameters where name != "request" && name != "request_uri" { parameters[name] = value }
        }
        for (name, value) in claims where !Self.objectOnlyClaims.contains(name) {
            if name == "authorization_details" {
                // Whatever its JSON type, the endpoint's parser judges it (an array is required).
                parameters[name] = object.authorizationDetails
                continue
            }
            if let text = Self.parameterValue(value) { parameters[name] = text }
        }
        parameters["client_id"] = client.clientID
        return AuthorizationRequest(parameters: parameters)
    }

    /// A claim of the object as an authorization parameter: text as it is, a number in its
    /// decimal form, an object (`claims`) as its JSON.
    private static func parameterValue(_ value: Any) -> String? {
        switch value {
        case let text as String: text
        case let number as NSNumber: number.stringValue
        case let object as [String: Any]:
            (try? JSONSerialization.data(withJSONObject: object)).map { String(decoding: $0, as: UTF8.self) }
        default: nil
        }
    }

    /// What may stand beside the object without being in it: the client_id (OpenID Connect
    /// Core §6.1 wants it in the query too) and the object itself.
    static let parametersBesideTheObject: Set<String> = ["client_id", "request", "request_uri"]

    /// FAPI 1.0 Advanced §5.2.2 item 10 (and the FAPI 1.0 rule that the object carries every
    /// parameter used): the server uses only the object's parameters, so a parameter the query
    /// carries that the object lacks or contradicts (`response_type` and `scope` included, which
    /// OpenID Connect Core §6.1 has in the query) means the client and the server would read
    /// two different requests; refused rather than silently dropped.
    private static func checkEveryParameterInObject(_ claims: [String: Any], query: AuthorizationRequest) throws {
        for (name, value) in query.parameters.sorted(by: { $0.key < $1.key }) where !parametersBesideTheObject.contains(name) {
            guard let inside = claims[name] else {
                throw OAuthError(.invalidRequestObject, "the request object lacks \(name), which the request carries outside it (FAPI 1.0)")
            }
            guard isSameParameter(inside, value) else {
                throw OAuthError(.invalidRequestObject, "\(name) outside the request object differs from the one inside it (FAPI 1.0)")
            }
        }
    }

    /// Text and numbers compare as the parameter text; a JSON object (`claims`) or array
    /// (`authorization_details`) as JSON, so that member order and spacing do not count.
    private static func isSameParameter(_ inside: Any, _ outside: String) -> Bool {
        if let object = inside as? [String: Any] {
            guard let parsed = try? JSONSerialization.jsonObject(with: Data(outside.utf8)) as? [String: Any] else { return false }
            return NSDictionary(dictionary: object).isEqual(to: parsed)
        }
        if let array = inside as? [Any] {
            guard let parsed = try? JSONSerialization.jsonObject(with: Data(outside.utf8)) as? [Any] else { return false }
            return NSArray(array: array).isEqual(to: parsed)
        }
        return parameterValue(inside) == outside
    }
}
