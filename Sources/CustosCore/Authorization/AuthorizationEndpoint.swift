import Foundation

/// The authorization endpoint (RFC 6749 §4.1.1, OAuth 2.1 §4.1, OpenID Connect Core §3.1.2).
/// `authorize` runs the checks in this order, each a named step:
/// 1. client (unknown → error page)          2. redirect URI (exact match → else error page)
/// 3. response type (`code`; `code id_token` for fapi1)   4. client may use the code grant
/// 5. response mode (and the profile's rules) 6. scope ⊆ client's scopes
/// 7. PKCE: S256 challenge required          8. prompt / max_age against the session
/// 9. consent stored or asked                10. the code, single-use, 60 s
/// Errors before step 3 are never redirected; from step 3 on they go to the verified URI.
/// Before step 1 the request itself is found: a pushed one (RFC 9126 §4, `request_uri` in the
/// `urn:ietf:params:oauth:request_uri:` form, used once, and then only its parameters count),
/// a request object (RFC 9101, by value or by an https reference), or the query; a client
/// that must use PAR may use nothing but a pushed request.
/// A request that waits for a sign-in or a consent is kept on the server
/// (`PendingAuthorization`) and resumed by a random handle: what the user did for it is known
/// from that record, never from parameters the browser could add.
public struct AuthorizationEndpoint: Sendable {
    public static let codeLifetime: TimeInterval = 60
    /// How long a request may wait for the user's sign-in and consent.
    public static let pendingLifetime: TimeInterval = 15 * 60
    /// The parameter that carries a pending request's handle back to the endpoint, the
    /// login page and the consent page. Nothing else of a resuming URL is read.
    public static let pendingParameter = "authorization_request"

    private let clients: any ClientStore
    private let codes: any AuthorizationCodeStore
    private let consents: any ConsentStore
    private let pending: any PendingAuthorizationStore
    private let pushed: any PushedAuthorizationStore
    private let consentManagement: ConsentManagement
    private let requestObjects: RequestObjectResolver
    private let idTokenHints: JWTVerifier
    /// The hybrid flow's front-channel ID token (OpenID Connect Core §3.3.2.11).
    private let idTokens: IDTokenBuilder
    /// The signed responses of JARM.
    private let jwtResponses: JWTAuthorizationResponse
    private let subjects: SubjectIdentifier
    private let configuration: ServerConfiguration
    private let clock: any WallClock
    /// The only authentication context Custos asserts: a password sign-in.
    public static let passwordACR = "urn:custos:acr:pwd"

    public typealias SignedIn = (session: BrowserSession, user: User)

    public init(
        clients: any ClientStore,
        codes: any AuthorizationCodeStore,
        consents: any ConsentStore,
        pending: any PendingAuthorizationStore,
        pushed: any PushedAuthorizationStore,
        consentManagement: ConsentManagement,
        requestObjects: RequestObjectResolver,
        idTokenHints: JWTVerifier,
        idTokens: IDTokenBuilder,
        jwtResponses: JWTAuthorizationResponse,
        subjects: SubjectIdentifier,
        configuration: ServerConfiguration,
        clock: any WallClock
    ) {
        self.requestObjects = requestObjects
        self.idTokenHints = idTokenHints
        self.idTokens = idTokens
        self.jwtResponses = jwtResponses
        self.subjects = subjects
        self.clients = clients
        self.codes = codes
        self.consents = consents
        self.pending = pending
        self.pushed = pushed
        self.consentManagement = consentManagement
        self.configuration = configuration
        self.clock = clock
    }

    /// A new authorization request. `decision` is the answer of a first-party app that
    /// approves or denies on the user's behalf (the JSON variant); browsers answer on the
    /// consent page instead. `keepsPending` is false where no browser can come back (JSON):
    /// then nothing is stored for a sign-in or consent that cannot happen.
    public func authorize(
        _ original: AuthorizationRequest,
        session: SignedIn?,
        decision: PendingAuthorization.Decision? = nil,
        keepsPending: Bool = true
    ) async throws -> AuthorizationOutcome {
        // Every request: the resolver also refuses one without the object its client must send.
        // A request object is resolved before anything in it is trusted: until then no
        // redirect URI is known to be the client's, so failures are shown, not redirected.
        guard let clientID = original.clientID,
            let client = try await clients.client(clientID: clientID, tenant: configuration.tenant), client.status == .active
        else { return .errorPage(OAuthError.invalidRequest("the client is unknown")) }
        let request: AuthorizationRequest
        if let requestURI = original["request_uri"], PushedAuthorization.isPushedRequestURI(requestURI) {
            // RFC 9126 §4: the pushed request, once, by the client that pushed it; then only its
            // parameters count and the rest of the query is ignored. Unknown, expired, used and
            // another client's all answer alike (§7.1, no oracle), and on the error page: no
            // redirect URI of this request is trusted yet.
            guard
                let record = try await pushed.consume(
                    digest: OpaqueToken.digest(requestURI),
                    clientID: client.clientID,
                    tenant: configuration.tenant,
                    now: clock.now
                )
            else { return .errorPage(Self.unknownPushedRequest) }
            var parameters = record.parameters
            parameters["client_id"] = client.clientID
            request = AuthorizationRequest(parameters: parameters)
        } else {
            if PushedAuthorization.isRequired(for: client, configuration: configuration) {
                return .errorPage(
                    OAuthError.invalidRequest("this client must push its authorization request first (pushed_authorization_request_endpoint)")
                )
            }
            do {
                request = try await requestObjects.resolve(original, client: client)
            } catch let error as OAuthError {
                return .errorPage(error)
            }
        }
        return try await decide(request, waiting: nil, session: session, decision: decision, keepsPending: keepsPending)
    }

    static let unknownPushedRequest = OAuthError(
        .invalidRequestURI,
        "the request_uri is unknown, has expired or was used already; push the authorization request again"
    )

    /// Steps 1 to 7 for a request `client` pushes (RFC 9126 §2.1: validated as a request to
    /// this endpoint would be): its request object resolved first, then the same checks as
    /// `authorize` runs, each failure as the error to answer the push with (§2.3). Returns the
    /// parameters to keep for the authorization request that uses it.
    func validatedForPush(_ original: AuthorizationRequest, client: OAuthClient) async throws -> Result<AuthorizationRequest, OAuthError> {
        let request: AuthorizationRequest
        do {
            request = try await requestObjects.resolve(original, client: client)
        } catch let error as OAuthError {
            return .failure(error)
        }
        // FAPI 2.0 Security Profile §5.3.2.2 item 6: a FAPI client always names its
        // redirect_uri in the pushed request, even with one registered.
        if client.fapiProfile != .none && request.redirectURI == nil {
            return .failure(OAuthError.invalidRequest("redirect_uri is required in a pushed authorization request of a FAPI client"))
        }
        // FAPI 1.0 Advanced §5.2.2 item 18: a pushed request carries PKCE (S256, which
        // `validated` checks), even from a fapi1 client allowed to omit it without PAR.
        if client.policy.requiresPKCEWithPushedRequest && request["code_challenge"] == nil {
            return .failure(OAuthError.invalidRequest("code_challenge is required (PKCE)"))
        }
        switch try await validated(request) {
        case .failure(let error): return .failure(error)
        case .success: return .success(request)
        }
    }

    /// A pending request resumed by its handle after a sign-in or the consent page. Only the
    /// stored parameters count; the resuming URL carries nothing else that is read.
    public func resume(handle: String, session: SignedIn?) async throws -> AuthorizationOutcome {
        guard let waiting = try await waitingRequest(handle) else { return .errorPage(Self.unknownPending) }
        return try await decide(
            AuthorizationRequest(parameters: waiting.parameters),
            waiting: (handle, waiting),
            session: session,
            decision: nil,
            keepsPending: true
        )
    }

    /// What the consent page shows for a pending request: rendered from the server's state of
    /// the request (RFC 9700 §4.11: never from the consent page's own query).
    public func consentPrompt(handle: String) async throws -> Result<ValidatedAuthorizationRequest, OAuthError> {
        guard let waiting = try await waitingRequest(handle) else { return .failure(Self.unknownPending) }
        return try await validated(AuthorizationRequest(parameters: waiting.parameters))
    }

    /// The consent page's answer for a pending request, by the signed-in user of `session`:
    /// an approval stores the consent (the validated scopes, all the client's, and the user
    /// claims asked for, all within what the client may have) and marks the request answered
    /// for this session only.
    public func recordConsent(
        handle: String,
        decision: PendingAuthorization.Decision,
        session: SignedIn
    ) async throws -> Result<Void, OAuthError> {
        guard let waiting = try await waitingRequest(handle) else { return .failure(Self.unknownPending) }
        switch try await validated(AuthorizationRequest(parameters: waiting.parameters)) {
        case .failure(let error): return .failure(error)
        case .success(let request):
            if decision == .approved { try await grantConsent(request, user: session.user) }
            guard
                try await pending.recordDecision(
                    decision,
                    sessionID: session.session.id,
                    digest: Self.digest(handle),
                    tenant: configuration.tenant
                )
            else { return .failure(Self.unknownPending) }
            return .success(())
        }
    }

    /// Stores `user`'s approval of `request`: its scopes and the user claims it asks for, both
    /// already cut down by `validate` to what the client may have (rules 2 and 15).
    private func grantConsent(_ request: ValidatedAuthorizationRequest, user: User) async throws {
        _ = try await consentManagement.grant(
            userID: user.id,
            clientID: request.client.clientID,
            scopes: request.scopes,
            claims: request.claims?.userClaims ?? []
        )
    }

    static let unknownPending = OAuthError.invalidRequest(
        "this authorization request has expired or was already answered; start again from the application"
    )

    private func waitingRequest(_ handle: String) async throws -> PendingAuthorization? {
        guard !handle.isEmpty, handle.utf8.count <= 64 else { return nil }
        return try await pending.pendingAuthorization(digest: Self.digest(handle), tenant: configuration.tenant, now: clock.now)
    }

    /// Steps 1 to 7 without a user: the request as the client sent it, checked.
    private func validated(_ request: AuthorizationRequest) async throws -> Result<ValidatedAuthorizationRequest, OAuthError> {
        switch try await trustedClientAndRedirect(request) {
        case .failure(let error): return .failure(error)
        case .success(let (client, redirectURI)):
            switch validate(request, client: client, redirectURI: redirectURI) {
            case .failure(let failure): return .failure(failure.error)
            case .success(let value): return .success(value)
            }
        }
    }

    /// Steps 1 to 10 for a request, new (`waiting` nil) or resumed.
    private func decide(
        _ request: AuthorizationRequest,
        waiting: (handle: String, record: PendingAuthorization)?,
        session: SignedIn?,
        decision: PendingAuthorization.Decision?,
        keepsPending: Bool
    ) async throws -> AuthorizationOutcome {
        let client: OAuthClient
        let redirectURI: String
        switch try await trustedClientAndRedirect(request) {
        case .failure(let error): return .errorPage(error)
        case .success(let pair): (client, redirectURI) = pair
        }
        let validated: ValidatedAuthorizationRequest
        switch validate(request, client: client, redirectURI: redirectURI) {
        case .failure(let failure): return redirectError(failure.error, failure.redirect, client: client)
        case .success(let value): validated = value
        }
        let redirect = AuthorizationRedirect(
            redirectURI: validated.redirectURI,
            state: validated.state,
            responseMode: validated.responseMode,
            issuer: configuration.issuer
        )
        // Answers recorded for this request count only for the session that gave them.
        let answered = session.flatMap { waiting?.record.decision(of: $0.session) } ?? decision
        if answered == .denied {
            if let waiting { _ = try await pending.deletePendingAuthorization(digest: waiting.record.digest, tenant: configuration.tenant) }
            return redirectError(OAuthError(.accessDenied, "the user denied the request"), redirect, client: client)
        }
        guard let session, session.user.status == .active,
            !needsSignIn(validated, session: session.session, waiting: waiting?.record)
        else {
            if validated.prompt.contains("none") {
                return redirectError(OAuthError(.loginRequired, "the user must sign in"), redirect, client: client)
            }
            return .signIn(try await keep(request, waiting: waiting, session: session, keepsPending: keepsPending), validated)
        }
        // A first-party app approved on the user's behalf: the same consent the page stores.
        if decision == .approved { try await grantConsent(validated, user: session.user) }
        let consent = try await consents.consent(userID: session.user.id, clientID: client.clientID, tenant: configuration.tenant)
        let covered = consent?.covers(validated.scopes, claims: validated.claims?.userClaims ?? []) ?? false
        // RFC 9396 §3: authorization details describe one transaction (this payment, this
        // document), not a standing permission, so a stored consent to scopes cannot cover
        // them: the user approves them on the consent page for this request, or a first-party
        // app's decision does on the user's behalf. Nothing about them is stored as consent.
        let detailsApproved = validated.authorizationDetails == nil || answered == .approved
        if !covered || !detailsApproved || (validated.prompt.contains("consent") && answered != .approved) {
            if validated.prompt.contains("none") {
                return redirectError(OAuthError(.consentRequired, "the user must approve the request"), redirect, client: client)
            }
            return .consent(try await keep(request, waiting: waiting, session: session, keepsPending: keepsPending), validated, session.user)
        }
        // The pending request is answered once: of two resumptions racing, one gets the code.
        if let waiting, !(try await pending.deletePendingAuthorization(digest: waiting.record.digest, tenant: configuration.tenant)) {
            return .errorPage(Self.unknownPending)
        }
        let code = try await issueCode(validated, session: session)
        var parameters = [AuthorizationRedirect.Parameter(name: "code", value: code)]
        if validated.isHybrid { parameters.append(.init(name: "id_token", value: try frontChannelIDToken(validated, code: code, session: session))) }
        switch answer(parameters, redirect, client: client) {
        case .success(let answered): return .code(code, answered)
        case .failure(let error): return .errorPage(error)
        }
    }

    /// An error for the client's verified redirect URI: `error`, `error_description`, then
    /// `state` and `iss` — as a JWT for JARM (§2.1: errors are signed too).
    private func redirectError(_ error: OAuthError, _ redirect: AuthorizationRedirect, client: OAuthClient) -> AuthorizationOutcome {
        var parameters = [AuthorizationRedirect.Parameter(name: "error", value: error.code.rawValue)]
        if let description = error.description {
            parameters.append(.init(name: "error_description", value: OAuthError.wireDescription(description)))
        }
        switch answer(parameters, redirect, client: client) {
        case .success(let answered): return .redirectError(error, answered)
        case .failure(let failure): return .errorPage(failure)
        }
    }

    /// The response parameters to deliver at `redirect`: `parameters`, the exact `state` and
    /// `iss` (RFC 9207), or for a JARM mode all of them in one `response` JWT (JARM §2.3).
    /// A JWT that cannot be signed is never replaced by a plain answer: the client asked not
    /// to trust one.
    private func answer(
        _ parameters: [AuthorizationRedirect.Parameter],
        _ redirect: AuthorizationRedirect,
        client: OAuthClient
    ) -> Result<AuthorizationRedirect, OAuthError> {
        var all = parameters
        if let state = redirect.state { all.append(.init(name: "state", value: state)) }
        all.append(.init(name: "iss", value: redirect.issuer))
        var answered = redirect
        if redirect.responseMode.isJWT {
            guard let jwt = try? jwtResponses.sign(all, issuer: redirect.issuer, for: client) else {
                return .failure(Self.noResponseSigningKey(client))
            }
            answered.parameters = [.init(name: "response", value: jwt)]
        } else {
            answered.parameters = all
        }
        return .success(answered)
    }

    static func noResponseSigningKey(_ client: OAuthClient) -> OAuthError {
        OAuthError.invalidRequest(
            "no key of this server signs the client's JWT authorization responses (authorization_signed_response_alg \(client.authorizationSignedResponseAlg ?? "default"))"
        )
    }

    /// The hybrid flow's ID token (OpenID Connect Core §3.3.2.11; FAPI 1.0 Advanced §5.2.2.1:
    /// a detached signature over the code and the state): `c_hash`, `s_hash`, `nonce`,
    /// `auth_time`, `acr` when asked, and no claims about the user beyond `sub` — those come
    /// from the token endpoint's ID token or userinfo, never through the browser.
    private func frontChannelIDToken(_ request: ValidatedAuthorizationRequest, code: String, session: SignedIn) throws -> String {
        try idTokens.build(
            for: request.client,
            authentication: IDTokenBuilder.Authentication(
                user: session.user,
                nonce: request.nonce,
                authTime: session.session.authTime,
                amr: session.session.amr,
                sessionID: session.session.id,
                acr: Self.acr(of: request)
            ),
            accessToken: nil,
            code: code,
            state: request.state,
            scopes: [],
            at: clock.now
        )
    }

    /// The `acr` to assert: only when the request asked for one (`acr_values` or the claims
    /// parameter), and then the one context Custos has.
    private static func acr(of request: ValidatedAuthorizationRequest) -> String? {
        request.acrValues.isEmpty && !(request.claims?.idToken.contains("acr") ?? false) ? nil : passwordACR
    }

    /// The handle of the pending request the browser comes back with: the one it came with,
    /// or a new one holding this request's parameters.
    private func keep(
        _ request: AuthorizationRequest,
        waiting: (handle: String, record: PendingAuthorization)?,
        session: SignedIn?,
        keepsPending: Bool
    ) async throws -> String? {
        if let waiting { return waiting.handle }
        guard keepsPending, let clientID = request.clientID else { return nil }
        let now = clock.now
        let (handle, digest) = OpaqueToken.generate(.pendingAuthorization)
        try await pending.insert(
            PendingAuthorization(
                digest: digest,
                tenant: configuration.tenant,
                clientID: clientID,
                parameters: request.parameters,
                sessionIDAtStart: session?.session.id,
                createdAt: now,
                expiresAt: now.addingTimeInterval(Self.pendingLifetime)
            )
        )
        return handle
    }

    /// Steps 1 and 2.
    private func trustedClientAndRedirect(_ request: AuthorizationRequest) async throws -> Result<(OAuthClient, String), OAuthError> {
        guard let clientID = request.clientID,
            let client = try await clients.client(clientID: clientID, tenant: configuration.tenant), client.status == .active
        else { return .failure(OAuthError.invalidRequest("the client is unknown")) }
        if let presented = request.redirectURI {
            guard RedirectURIMatcher.matches(presented, registered: client.redirectURIs, isPublicClient: !client.isConfidential)
            else { return .failure(OAuthError.invalidRequest("the redirect_uri is not registered for this client")) }
            return .success((client, presented))
        }
        // OAuth 2.1 §2.3.2: redirect_uri may be omitted only when exactly one is registered.
        guard client.redirectURIs.count == 1 else {
            return .failure(OAuthError.invalidRequest("redirect_uri is required for this client"))
        }
        return .success((client, client.redirectURIs[0]))
    }

    struct RedirectFailure: Error {
        let error: OAuthError
        let redirect: AuthorizationRedirect
    }

    /// Steps 3 to 7.
    private func validate(
        _ request: AuthorizationRequest,
        client: OAuthClient,
        redirectURI: String
    )
        -> Result<ValidatedAuthorizationRequest, RedirectFailure>
    {
        // OpenID Connect Core §3.3: `code id_token` (in either order) is the hybrid flow,
        // offered to FAPI 1.0 relying parties only (FAPI 1.0 Advanced §5.2.2 item 2); OAuth
        // 2.1 keeps nothing but `code` for everyone else.
        let responseTypes = Set((request["response_type"] ?? "").split(separator: " ", omittingEmptySubsequences: false).map(String.init))
        let isHybrid = responseTypes == ["code", "id_token"] && client.fapiProfile == .fapi1
        let mode = Self.responseMode(request["response_mode"], client: client, isHybrid: isHybrid)
        let redirect = AuthorizationRedirect(
            redirectURI: redirectURI,
            state: request.state,
            responseMode: Self.errorResponseMode(mode, client: client, isHybrid: isHybrid),
            issuer: configuration.issuer
        )
        func fail(_ code: OAuthError.Code, _ description: String) -> Result<ValidatedAuthorizationRequest, RedirectFailure> {
            .failure(RedirectFailure(error: OAuthError(code, description), redirect: redirect))
        }
        guard let responseType = request["response_type"] else { return fail(.invalidRequest, "response_type is required") }
        guard responseType == "code" || isHybrid else {
            if responseTypes == ["code", "id_token"] {
                return fail(.unsupportedResponseType, "response_type=code id_token is offered to fapi_profile fapi1 clients only")
            }
            return fail(.unsupportedResponseType, "only response_type=code is supported")
        }
        guard client.grantTypes.contains(.authorizationCode) else {
            return fail(.unauthorizedClient, "the client may not use the authorization code grant")
        }
        if let problem = Self.responseModeProblem(request["response_mode"], mode: mode, client: client, isHybrid: isHybrid) {
            return fail(.invalidRequest, problem)
        }
        if mode.isJWT && !jwtResponses.canSign(for: client) {
            return fail(.invalidRequest, Self.noResponseSigningKey(client).description ?? "")
        }
        let scopes: [String]
        do {
            scopes = try ScopeRequest.resolve(request["scope"], allowed: client.scopes)
        } catch let error as OAuthError {
            return .failure(RedirectFailure(error: error, redirect: redirect))
        } catch {
            return fail(.invalidScope, "the scope is invalid")
        }
        // OpenID Connect Core §3.3.2.11: an ID token at the authorization endpoint answers an
        // OpenID request only, and its nonce is REQUIRED there (§3.3.2.1).
        if isHybrid && !scopes.contains("openid") {
            return fail(.invalidRequest, "response_type=code id_token requires the openid scope")
        }
        if isHybrid && (request["nonce"] ?? "").isEmpty {
            return fail(.invalidRequest, "nonce is required with response_type=code id_token (OpenID Connect Core §3.3.2.11)")
        }
        // Pinned rule 1 (RFC 9700 §2.1.1): S256 is required; plain and a bare challenge are refused.
        // Rule 17: a confidential client the administrator let go without PKCE may omit the
        // challenge; then an OpenID request must carry a nonce, the defence RFC 9700 §2.1.1
        // accepts instead. A challenge it does send is held to S256 all the same.
        let challenge = request["code_challenge"]
        if let challenge {
            guard request["code_challenge_method"] == "S256" else { return fail(.invalidRequest, "code_challenge_method must be S256") }
            guard PKCE.isValidChallenge(challenge) else { return fail(.invalidRequest, "code_challenge is malformed") }
        } else if client.requiresPKCE {
            return fail(.invalidRequest, "code_challenge is required (PKCE)")
        } else if request["code_challenge_method"] != nil {
            return fail(.invalidRequest, "code_challenge_method without code_challenge")
        } else if scopes.contains("openid") && (request["nonce"] ?? "").isEmpty {
            return fail(.invalidRequest, "nonce is required when the request carries no code_challenge (RFC 9700 §2.1.1)")
        }
        var maxAge = client.openID.defaultMaxAge
        if let text = request["max_age"] {
            guard let value = Int(text), value >= 0 else { return fail(.invalidRequest, "max_age must be a non-negative integer") }
            maxAge = value
        }
        var claims: ClaimsRequest?
        if let text = request["claims"] {
            switch ClaimsRequest.parse(text) {
            // Claims about the user beyond the client's scopes are never released (rule: claims
            // only within consent); those within them need the user's approval below.
            case .success(let parsed): claims = parsed.restricted(toScopes: client.scopes)
            case .failure(let error): return .failure(RedirectFailure(error: error, redirect: redirect))
            }
        }
        var hintedSubject: String?
        if let hint = request["id_token_hint"] {
            guard let payload = try? idTokenHints.verify(hint, type: "jwt"),
                let hintClaims = try? JSONSerialization.jsonObject(with: Data(payload)) as? [String: Any],
                hintClaims["iss"] as? String == configuration.issuer, let subject = hintClaims["sub"] as? String
            else { return fail(.invalidRequest, "id_token_hint is not an ID token issued by this server") }
            hintedSubject = subject
        }
        let prompt = Set((request["prompt"] ?? "").split(separator: " ").map(String.init))
        if prompt.contains("none") && prompt.count > 1 { return fail(.invalidRequest, "prompt=none cannot be combined") }
        // RFC 9449 §10: `dpop_jkt` binds the code to a DPoP key (a pushed request keeps it
        // among its parameters). It is the base64url SHA-256 JWK thumbprint (RFC 7638).
        let dpopJKT = request["dpop_jkt"]
        if let dpopJKT, !DPoPBinding.isThumbprint(dpopJKT) { return fail(.invalidRequest, "dpop_jkt is not a JWK SHA-256 thumbprint") }
        // RFC 9396 §2, §5: malformed details, or a type the client did not register, are
        // `invalid_authorization_details`, redirected like the other errors from here on.
        var authorizationDetails: AuthorizationDetails?
        if let text = request["authorization_details"] {
            switch AuthorizationDetails.parse(text, for: client) {
            case .success(let parsed): authorizationDetails = parsed
            case .failure(let error): return .failure(RedirectFailure(error: error, redirect: redirect))
            }
        }
        return .success(
            ValidatedAuthorizationRequest(
                client: client,
                redirectURI: redirectURI,
                redirectURIWasPresented: request.redirectURI != nil,
                scopes: scopes,
                state: request.state,
                nonce: request["nonce"],
                codeChallenge: challenge,
                responseMode: mode,
                isHybrid: isHybrid,
                prompt: prompt,
                maxAge: maxAge,
                claims: claims,
                acrValues: (request["acr_values"] ?? "").split(separator: " ").map(String.init),
                idTokenHintSubject: hintedSubject,
                loginHint: request["login_hint"],
                dpopJKT: dpopJKT,
                authorizationDetails: authorizationDetails
            )
        )
    }

    /// Step 5: the response mode asked for, or the default: `jwt` for a
    /// `fapi2_message_signing` client (FAPI 2.0 Message Signing §5.4.1: its responses are signed),
    /// `fragment` for the hybrid flow (OpenID Connect Core §3.3.2.5), else `query`. `jwt` is
    /// resolved (JARM §2.3.4); an unknown value reads as the default, for its error's sake.
    static func responseMode(_ requested: String?, client: OAuthClient, isHybrid: Bool) -> ResponseMode {
        let fallback: ResponseMode = client.fapiProfile == .fapi2MessageSigning ? .jwt : (isHybrid ? .fragment : .query)
        return (requested.flatMap(ResponseMode.init(rawValue:)) ?? fallback).resolved(frontChannelToken: isHybrid)
    }

    /// Where a refusal goes: as the response would, but never in the query for the hybrid
    /// flow (OpenID Connect Core §3.3.2.6: its errors travel in the fragment), never in the
    /// fragment for plain `code`, and always signed for a `fapi2_message_signing` client.
    static func errorResponseMode(_ mode: ResponseMode, client: OAuthClient, isHybrid: Bool) -> ResponseMode {
        var chosen = mode
        if isHybrid && chosen.delivery == .query { chosen = ResponseMode.fragment.withJWT(chosen.isJWT) }
        // A plain code answer never goes to the fragment, even when the refused request asked.
        if !isHybrid && chosen == .fragment { chosen = .query }
        if client.fapiProfile == .fapi2MessageSigning { chosen = chosen.withJWT(true) }
        return chosen
    }

    /// Step 5's rules; nil when `mode` may answer this request.
    static func responseModeProblem(_ requested: String?, mode: ResponseMode, client: OAuthClient, isHybrid: Bool) -> String? {
        if let requested, ResponseMode(rawValue: requested) == nil {
            return "response_mode must be one of \(ResponseMode.allCases.map(\.rawValue).joined(separator: ", "))"
        }
        // OpenID Connect Core §3.3.2.5 and JARM §2.3.1: an ID token never travels in the query.
        if isHybrid && mode.delivery == .query {
            return "response_type=code id_token cannot be answered in the query; use fragment, form_post or a .jwt mode"
        }
        if !isHybrid && mode == .fragment {
            return "response_mode fragment serves response_type=code id_token only; use query, form_post or a .jwt mode"
        }
        if client.fapiProfile == .fapi2MessageSigning && !mode.isJWT {
            return "a fapi2_message_signing client is answered through JARM only: use response_mode jwt, query.jwt or form_post.jwt"
        }
        // FAPI 1.0 Advanced §5.2.2 item 2: `code id_token`, or `code` with JARM.
        if client.fapiProfile == .fapi1 && !isHybrid && !mode.isJWT {
            return "a fapi1 client uses response_type=code id_token, or response_type=code with response_mode jwt"
        }
        return nil
    }

    /// Step 8: `prompt=login`, `select_account` and `max_age` (OpenID Connect Core §3.1.2.1) ask
    /// for a sign-in newer than the request, unless the user just signed in for it — which the
    /// server knows from the pending request's record, never from the URL.
    private func needsSignIn(_ validated: ValidatedAuthorizationRequest, session: BrowserSession, waiting: PendingAuthorization?) -> Bool {
        if let waiting, waiting.isSignedIn(by: session) { return false }
        if validated.prompt.contains("login") || validated.prompt.contains("select_account") { return true }
        // max_age=0 is a fresh sign-in every time, even within the second of the last one.
        if let maxAge = validated.maxAge, maxAge == 0 || clock.now.timeIntervalSince(session.authTime) > TimeInterval(maxAge) {
            return true
        }
        // §3.1.2.1 id_token_hint: a session of another user does not satisfy the request.
        if let hinted = validated.idTokenHintSubject, hinted != subjects.subject(for: session.userID, client: validated.client) {
            return true
        }
        return false
    }

    /// Step 10.
    private func issueCode(
        _ request: ValidatedAuthorizationRequest,
        session: SignedIn
    ) async throws
        -> String
    {
        let now = clock.now
        let (code, digest) = OpaqueToken.generate(.authorizationCode)
        try await codes.insert(
            AuthorizationCode(
                digest: digest,
                tenant: configuration.tenant,
                clientID: request.client.clientID,
                userID: session.user.id,
                grantID: ULID.make(at: now),
                redirectURI: request.redirectURIWasPresented ? request.redirectURI : nil,
                scopes: request.scopes,
                codeChallenge: request.codeChallenge,
                nonce: request.nonce,
                authTime: session.session.authTime,
                sessionID: session.session.id,
                amr: session.session.amr,
                createdAt: now,
                expiresAt: now.addingTimeInterval(Self.codeLifetime),
                claims: request.claims,
                acr: Self.acr(of: request),
                dpopJKT: request.dpopJKT,
                authorizationDetails: request.authorizationDetails
            )
        )
        return code
    }

    /// The stored digest of a code or pending-request handle (`OpaqueToken.digest`).
    public static func digest(_ value: String) -> String {
        OpaqueToken.digest(value)
    }
}
