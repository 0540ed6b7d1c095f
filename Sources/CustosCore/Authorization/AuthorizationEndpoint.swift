import Crypto
import Foundation

/// The authorization endpoint (RFC 6749 §4.1.1, OAuth 2.1 §4.1, OpenID Connect Core §3.1.2).
/// `authorize` runs the checks in this order, each a named step:
/// 1. client (unknown → error page)          2. redirect URI (exact match → else error page)
/// 3. response type (`code` only)            4. client may use the code grant
/// 5. response mode                          6. scope ⊆ client's scopes
/// 7. PKCE: S256 challenge required          8. prompt / max_age against the session
/// 9. consent stored or asked                10. the code, single-use, 60 s
/// Errors before step 3 are never redirected; from step 3 on they go to the verified URI.
public struct AuthorizationEndpoint: Sendable {
    public static let codeLifetime: TimeInterval = 60
    /// Set by Custos in the URL it sends the browser back to after a forced sign-in, so that
    /// `prompt=login` and `max_age` are satisfied by that sign-in instead of looping.
    public static let signedInAfterParameter = "custos_signed_in_after"

    private let clients: any ClientStore
    private let codes: any AuthorizationCodeStore
    private let consents: any ConsentStore
    private let requestObjects: RequestObjectResolver
    private let idTokenHints: JWTVerifier
    private let subjects: SubjectIdentifier
    private let configuration: ServerConfiguration
    private let clock: any WallClock
    /// The only authentication context Custos asserts: a password sign-in.
    public static let passwordACR = "urn:custos:acr:pwd"

    public init(
        clients: any ClientStore, codes: any AuthorizationCodeStore, consents: any ConsentStore,
        requestObjects: RequestObjectResolver, idTokenHints: JWTVerifier, subjects: SubjectIdentifier,
        configuration: ServerConfiguration, clock: any WallClock
    ) {
        self.requestObjects = requestObjects
        self.idTokenHints = idTokenHints
        self.subjects = subjects
        self.clients = clients
        self.codes = codes
        self.consents = consents
        self.configuration = configuration
        self.clock = clock
    }

    public func authorize(
        _ original: AuthorizationRequest, session: (session: BrowserSession, user: User)?, consentDenied: Bool = false
    ) async throws -> AuthorizationOutcome {
        var request = original
        do {  // Every request: the resolver also refuses one without the object its client must send.
            // A request object is resolved before anything in it is trusted: until then no
            // redirect URI is known to be the client's, so failures are shown, not redirected.
            guard let clientID = original.clientID,
                let client = try await clients.client(clientID: clientID, tenant: configuration.tenant), client.status == .active
            else { return .errorPage(OAuthError.invalidRequest("the client is unknown")) }
            do {
                request = try await requestObjects.resolve(original, client: client)
            } catch let error as OAuthError {
                return .errorPage(error)
            }
            // Custos's own bookkeeping parameters survive resolution.
            for name in [Self.signedInAfterParameter, "consent"] { request.parameters[name] = original[name] }
        }
        let client: OAuthClient
        let redirectURI: String
        switch try await trustedClientAndRedirect(request) {
        case .failure(let error): return .errorPage(error)
        case .success(let pair): (client, redirectURI) = pair
        }
        let validated: ValidatedAuthorizationRequest
        switch validate(request, client: client, redirectURI: redirectURI) {
        case .failure(let failure): return .redirectError(failure.error, failure.redirect)
        case .success(let value): validated = value
        }
        let redirect = AuthorizationRedirect(
            redirectURI: validated.redirectURI, state: validated.state, responseMode: validated.responseMode,
            issuer: configuration.issuer)
        if consentDenied {
            return .redirectError(OAuthError(.accessDenied, "the user denied the request"), redirect)
        }
        guard let session, session.user.status == .active, !needsSignIn(request, validated: validated, session: session.session)
        else {
            if validated.prompt.contains("none") {
                return .redirectError(OAuthError(.loginRequired, "the user must sign in"), redirect)
            }
            return .signIn(validated)
        }
        let consent = try await consents.consent(userID: session.user.id, clientID: client.clientID, tenant: configuration.tenant)
        let covered = consent?.covers(validated.scopes) ?? false
        if !covered || (validated.prompt.contains("consent") && !consentJustGiven(request)) {
            if validated.prompt.contains("none") {
                return .redirectError(OAuthError(.consentRequired, "the user must approve the request"), redirect)
            }
            return .consent(validated, session.user)
        }
        return .code(try await issueCode(validated, session: session), redirect)
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
    private func validate(_ request: AuthorizationRequest, client: OAuthClient, redirectURI: String)
        -> Result<ValidatedAuthorizationRequest, RedirectFailure>
    {
        let mode = request["response_mode"].flatMap(ResponseMode.init(rawValue:)) ?? .query
        let redirect = AuthorizationRedirect(redirectURI: redirectURI, state: request.state, responseMode: mode, issuer: configuration.issuer)
        func fail(_ code: OAuthError.Code, _ description: String) -> Result<ValidatedAuthorizationRequest, RedirectFailure> {
            .failure(RedirectFailure(error: OAuthError(code, description), redirect: redirect))
        }
        guard let responseType = request["response_type"] else { return fail(.invalidRequest, "response_type is required") }
        guard responseType == "code" else { return fail(.unsupportedResponseType, "only response_type=code is supported") }
        guard client.grantTypes.contains(.authorizationCode) else {
            return fail(.unauthorizedClient, "the client may not use the authorization code grant")
        }
        if let requested = request["response_mode"], ResponseMode(rawValue: requested) == nil {
            return fail(.invalidRequest, "response_mode must be query or form_post")
        }
        let scopes: [String]
        do {
            scopes = try ScopeRequest.resolve(request["scope"], allowed: client.scopes)
        } catch let error as OAuthError {
            return .failure(RedirectFailure(error: error, redirect: redirect))
        } catch {
            return fail(.invalidScope, "the scope is invalid")
        }
        // Pinned rule 1 (RFC 9700 §2.1.1): S256 is required; plain and a bare challenge are refused.
        guard let challenge = request["code_challenge"] else { return fail(.invalidRequest, "code_challenge is required (PKCE)") }
        guard request["code_challenge_method"] == "S256" else { return fail(.invalidRequest, "code_challenge_method must be S256") }
        guard PKCE.isValidChallenge(challenge) else { return fail(.invalidRequest, "code_challenge is malformed") }
        var maxAge = client.openID.defaultMaxAge
        if let text = request["max_age"] {
            guard let value = Int(text), value >= 0 else { return fail(.invalidRequest, "max_age must be a non-negative integer") }
            maxAge = value
        }
        var claims: ClaimsRequest?
        if let text = request["claims"] {
            switch ClaimsRequest.parse(text) {
            case .success(let parsed): claims = parsed
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
        return .success(
            ValidatedAuthorizationRequest(
                client: client, redirectURI: redirectURI, redirectURIWasPresented: request.redirectURI != nil, scopes: scopes,
                state: request.state, nonce: request["nonce"], codeChallenge: challenge, responseMode: mode, prompt: prompt,
                maxAge: maxAge, claims: claims,
                acrValues: (request["acr_values"] ?? "").split(separator: " ").map(String.init),
                idTokenHintSubject: hintedSubject, loginHint: request["login_hint"]))
    }

    /// Step 8: `prompt=login` and `max_age` (OpenID Connect Core §3.1.2.1) ask for a sign-in
    /// newer than the request, unless the user just signed in for it.
    private func needsSignIn(_ request: AuthorizationRequest, validated: ValidatedAuthorizationRequest, session: BrowserSession) -> Bool {
        let now = clock.now
        // The parameter holds Unix milliseconds, so a sign-in in the same second as the
        // request it satisfies is told apart from an older one.
        if let after = request[Self.signedInAfterParameter].flatMap(Int64.init),
            Int64((session.authTime.timeIntervalSince1970 * 1000).rounded(.down)) >= after
        {
            return false
        }
        if validated.prompt.contains("login") || validated.prompt.contains("select_account") { return true }
        // max_age=0 is a fresh sign-in every time, even within the second of the last one.
        if let maxAge = validated.maxAge, maxAge == 0 || now.timeIntervalSince(session.authTime) > TimeInterval(maxAge) { return true }
        // §3.1.2.1 id_token_hint: a session of another user does not satisfy the request.
        if let hinted = validated.idTokenHintSubject, hinted != subjects.subject(for: session.userID, client: validated.client) {
            return true
        }
        return false
    }

    /// After `prompt=consent`, the consent page sends the browser back with the decision made.
    private func consentJustGiven(_ request: AuthorizationRequest) -> Bool {
        request["consent"] == "given"
    }

    /// Step 10.
    private func issueCode(_ request: ValidatedAuthorizationRequest, session: (session: BrowserSession, user: User)) async throws
        -> String
    {
        let now = clock.now
        let code = "custos_ac_" + Base64URL.encode(SecureRandom.bytes(32))
        try await codes.insert(
            AuthorizationCode(
                digest: Self.digest(code), tenant: configuration.tenant, clientID: request.client.clientID,
                userID: session.user.id, grantID: ULID.make(at: now),
                redirectURI: request.redirectURIWasPresented ? request.redirectURI : nil, scopes: request.scopes,
                codeChallenge: request.codeChallenge, nonce: request.nonce, authTime: session.session.authTime,
                sessionID: session.session.id, amr: session.session.amr, createdAt: now,
                expiresAt: now.addingTimeInterval(Self.codeLifetime), claims: request.claims,
                acr: request.acrValues.isEmpty && !(request.claims?.idToken.contains("acr") ?? false) ? nil : Self.passwordACR))
        return code
    }

    public static func digest(_ value: String) -> String {
        Base64URL.encode(SHA256.hash(data: Data(value.utf8)))
    }
}
