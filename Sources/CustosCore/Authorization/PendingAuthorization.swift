import Foundation

/// An authorization request waiting for the user: for a sign-in, a consent, or both. The
/// browser carries only a random handle to it (the `authorization_request` parameter, stored
/// as its SHA-256); everything the server decides on — the request's parameters, when it was
/// made, which session made it, what the user approved — lives here.
///
/// Why server state: a flag in the URL that says "the user just signed in" or "consent was
/// given" can be edited by the browser, so `prompt=login`, `max_age` and `prompt=consent`
/// could be skipped by adding it (OpenID Connect Core §3.1.2.1 asks the OP to re-authenticate,
/// and the consent page must reflect the request it is about, RFC 9700 §4.11).
public struct PendingAuthorization: Sendable, Equatable {
    public enum Decision: String, Sendable, Codable {
        case approved
        case denied
    }

    public var digest: String
    public var tenant: TenantID
    public var clientID: String
    /// The request's parameters as the endpoint validated them (after request-object
    /// resolution): a resumed request is decided on these, never on the resuming URL's query.
    public var parameters: [String: String]
    /// The browser session present when the request arrived, if any: a sign-in *for* this
    /// request is a different session that started at or after `createdAt`.
    public var sessionIDAtStart: String?
    /// The user's answer on the consent page, and the session that gave it: it counts only
    /// for that session.
    public var decision: Decision?
    public var decidedInSessionID: String?
    public var createdAt: Date
    public var expiresAt: Date

    public init(
        digest: String,
        tenant: TenantID,
        clientID: String,
        parameters: [String: String],
        sessionIDAtStart: String?,
        decision: Decision? = nil,
        decidedInSessionID: String? = nil,
        createdAt: Date,
        expiresAt: Date
    ) {
        self.digest = digest
        self.tenant = tenant
        self.clientID = clientID
        self.parameters = parameters
        self.sessionIDAtStart = sessionIDAtStart
        self.decision = decision
        self.decidedInSessionID = decidedInSessionID
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }

    /// Whether `session` is a sign-in made for this request: started after the request
    /// arrived, and not the session that was already there.
    public func isSignedIn(by session: BrowserSession) -> Bool {
        session.id != sessionIDAtStart && session.authTime >= createdAt
    }

    /// The consent decision `session` gave on the consent page for this request, if any.
    public func decision(of session: BrowserSession) -> Decision? {
        decidedInSessionID == session.id ? decision : nil
    }
}
