import Foundation

/// RP-Initiated Logout 1.0 with Back-Channel and Front-Channel Logout 1.0. `prepare` checks the
/// request; `logout` ends the browser session, notifies every client that took part in it
/// over the back channel (in the background), and says which front-channel URIs to load and
/// where to send the browser.
public struct EndSession: Sendable {
    private let verifier: JWTVerifier
    private let clients: any ClientStore
    private let codes: any SessionParticipantStore
    private let sessions: any SessionStore
    private let tokens: LogoutTokenBuilder
    private let subjects: SubjectIdentifier
    private let notifier: any LogoutNotifier
    private let configuration: ServerConfiguration
    private let clock: any WallClock

    public init(
        verifier: JWTVerifier,
        clients: any ClientStore,
        codes: any SessionParticipantStore,
        sessions: any SessionStore,
        tokens: LogoutTokenBuilder,
        subjects: SubjectIdentifier,
        notifier: any LogoutNotifier,
        configuration: ServerConfiguration,
        clock: any WallClock
    ) {
        self.subjects = subjects
        self.verifier = verifier
        self.clients = clients
        self.codes = codes
        self.sessions = sessions
        self.tokens = tokens
        self.notifier = notifier
        self.configuration = configuration
        self.clock = clock
    }

    public struct Request: Sendable {
        public var idTokenHint: String?
        public var clientID: String?
        public var postLogoutRedirectURI: String?
        public var state: String?
        public init(idTokenHint: String?, clientID: String?, postLogoutRedirectURI: String?, state: String?) {
            self.idTokenHint = idTokenHint
            self.clientID = clientID
            self.postLogoutRedirectURI = postLogoutRedirectURI
            self.state = state
        }
    }

    public struct Plan: Sendable {
        /// Where to send the browser afterwards, with `state`; nil to show our own page.
        public var redirect: String?
        public var state: String?
        /// Whether the user must confirm (no valid `id_token_hint`, §2: the OP SHOULD ask).
        public var needsConfirmation: Bool
        public var client: OAuthClient?
        /// The `sid` and `sub` of a valid hint: it speaks for the browser's session only when
        /// both are that session's.
        public var hintedSessionID: String?
        public var hintedSubject: String?
    }

    /// Whether signing `session` out needs the user's confirmation: without a valid hint, or
    /// when the hint was issued in another session or to another user (RP-Initiated Logout
    /// §2: the hint is only evidence about the session it names; a stale or foreign one must
    /// not sign the current user out silently).
    public func needsConfirmation(_ plan: Plan, signingOut session: BrowserSession) -> Bool {
        guard !plan.needsConfirmation, let client = plan.client, let sid = plan.hintedSessionID, let sub = plan.hintedSubject
        else { return true }
        return sid != session.id || sub != subjects.subject(for: session.userID, client: client)
    }

    /// Validates the request (§2): the hint must be an ID token we signed (it may have
    /// expired); the redirect must be one of the client's registered post-logout URIs,
    /// compared exactly, or it is ignored.
    public func prepare(_ request: Request) async throws -> Plan {
        var client: OAuthClient?
        var hintIsValid = false
        var hintedSessionID: String?
        var hintedSubject: String?
        if let hint = request.idTokenHint {
            guard let payload = try? verifier.verify(hint, type: "jwt"),
                let claims = try? JSONSerialization.jsonObject(with: Data(payload)) as? [String: Any],
                claims["iss"] as? String == configuration.issuer, let audience = Self.audience(claims["aud"]).first
            else { throw OAuthError.invalidRequest("id_token_hint is not an ID token issued by this server") }
            if let clientID = request.clientID, clientID != audience {
                throw OAuthError.invalidRequest("client_id does not match the id_token_hint")
            }
            client = try await clients.client(clientID: audience, tenant: configuration.tenant)
            hintIsValid = true
            hintedSessionID = claims["sid"] as? String
            hintedSubject = claims["sub"] as? String
        } else if let clientID = request.clientID {
            client = try await clients.client(clientID: clientID, tenant: configuration.tenant)
        }
        var redirect: String?
        if let uri = request.postLogoutRedirectURI, let client, client.openID.postLogoutRedirectURIs?.contains(uri) == true {
            redirect = uri
        } else if request.postLogoutRedirectURI != nil {
            throw OAuthError.invalidRequest("post_logout_redirect_uri is not registered for the client")
        }
        return Plan(
            redirect: redirect,
            state: request.state,
            needsConfirmation: !hintIsValid,
            client: client,
            hintedSessionID: hintedSessionID,
            hintedSubject: hintedSubject
        )
    }

    /// Ends `session`; returns the front-channel logout URIs to load in iframes.
    public func logout(_ session: BrowserSession) async throws -> [String] {
        try await sessions.delete(digest: session.digest, tenant: configuration.tenant)
        return try await notifyParticipants(userID: session.userID, sessionIDs: [session.id])
    }

    /// Ends every session of a user (administrator action), notifying clients the same way.
    public func logoutEverywhere(userID: String) async throws {
        try await sessions.deleteSessions(userID: userID, tenant: configuration.tenant)
        try await announceLogoutEverywhere(userID: userID)
    }

    /// Tells every client that took part in one of the user's sessions, over the back channel,
    /// that the sessions ended: for callers that deleted the sessions themselves, in the
    /// transaction that ended the user's access (disabled, new password, deleted).
    public func announceLogoutEverywhere(userID: String) async throws {
        let sessionIDs = try await codes.sessionIDs(userID: userID, tenant: configuration.tenant)
        _ = try await notifyParticipants(userID: userID, sessionIDs: sessionIDs)
    }

    private func notifyParticipants(userID: String, sessionIDs: [String]) async throws -> [String] {
        var frontChannel: [String] = []
        let now = clock.now
        for sessionID in sessionIDs {
            for clientID in try await codes.clientIDs(sessionID: sessionID, tenant: configuration.tenant) {
                guard let client = try await clients.client(clientID: clientID, tenant: configuration.tenant) else { continue }
                if let uri = client.openID.backchannelLogoutURI {
                    notifier.deliver(logoutToken: try tokens.build(for: client, userID: userID, sessionID: sessionID, at: now), to: uri)
                }
                if let uri = client.openID.frontchannelLogoutURI {
                    // Front-Channel Logout 1.0 §2: iss and sid as query parameters.
                    if var components = URLComponents(string: uri) {
                        let existing = components.queryItems ?? []
                        components.queryItems =
                            existing + [
                                URLQueryItem(name: "iss", value: configuration.issuer), URLQueryItem(name: "sid", value: sessionID),
                            ]
                        if let url = components.string { frontChannel.append(url) }
                    }
                }
            }
        }
        return frontChannel
    }

    static func audience(_ value: Any?) -> [String] {
        if let single = value as? String { return [single] }
        return (value as? [String]) ?? []
    }
}

/// Which clients took part in a browser session (those that received an authorization code in it).
public protocol SessionParticipantStore: Sendable {
    func clientIDs(sessionID: String, tenant: TenantID) async throws -> [String]
    func sessionIDs(userID: String, tenant: TenantID) async throws -> [String]
}
