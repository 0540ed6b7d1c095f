/// Admits a call that a first-party app makes for its signed-in user (the JSON variant of
/// `POST /oauth/authorize`, the consents API): a valid bearer token (see
/// `BearerTokenValidator`) issued to a client the administrator marked first-party, carrying
/// the reserved scope `account`, and issued in a browser session that is still live. The
/// call acts on that session — its id and `auth_time` — and never on one made up for it.
///
/// Why so narrow: any other client holding a user's access token would otherwise act for the
/// user at every client (approve consents, mint codes), which no user granted.
public struct AccountTokenAuthenticator: Sendable {
    /// The scope that lets a first-party app act for its user; reserved for first-party clients.
    public static let scope = "account"

    private let validator: BearerTokenValidator
    private let clients: any ClientLookup
    private let sessions: SessionManager

    public init(validator: BearerTokenValidator, clients: any ClientLookup, sessions: SessionManager) {
        self.validator = validator
        self.clients = clients
        self.sessions = sessions
    }

    public func authenticate(bearer token: String?) async throws -> (session: BrowserSession, user: User) {
        let token = try await validator.validate(token)
        guard token.scopes.contains(Self.scope) else {
            throw AccessDenied.forbidden("the token does not carry the account scope")
        }
        guard let client = try await clients.client(clientID: token.record.clientID, tenant: token.record.tenant), client.isFirstParty
        else { throw AccessDenied.forbidden("only a first-party application may act for the user here") }
        guard let userID = token.record.userID else {
            throw AccessDenied.forbidden("this token was not issued on behalf of a user")
        }
        guard let sessionID = token.record.sessionID, let signedIn = try await sessions.live(id: sessionID), signedIn.user.id == userID
        else { throw AccessDenied.unauthenticated("the sign-in this token was issued in has ended") }
        return signedIn
    }
}
