import Foundation

/// Finds the server's record of a presented token — a JWT access token by its verified
/// `jti`, an opaque access or refresh token by its digest — and says whether it is active:
/// not expired, not revoked, not a spent refresh token, its client still active, and of this
/// tenant. `token_type_hint` is a hint only (RFC 7662 §2.1): every kind is tried.
///
/// Who may see what (RFC 7662 §2.1, §4: the server decides which tokens a caller may
/// introspect, and may answer as for an inactive token otherwise, §2.2): a client sees its own
/// tokens; any other token only if an administrator marked it a resource server; an
/// administrator (admin bearer token, or a client allowed the `admin` scope authenticating
/// with its own credentials) sees all. `sub` is the subject the token was issued with (the
/// pairwise value for a pairwise client); `username` only goes to resource servers and
/// administrators.
///
/// What the token is bound to and for comes from its record's attributes: `aud` (RFC 7662
/// §2.2; the issuer for tokens stored before attributes), `cnf` for a sender-constrained token
/// so that the resource server can check the proof (RFC 9449 §6.2, RFC 8705 §3.2), `act`
/// (RFC 8693 §4.1), and `token_type` from the binding (`Confirmation.tokenType(for:)`).
public struct TokenIntrospector: Sendable {
    /// Who asks.
    public enum Caller: Sendable {
        /// An admin bearer token, or a client allowed the `admin` scope.
        case administrator
        case client(OAuthClient)

        /// The caller a client authentication makes: an administrator when the client may have the `admin` scope.
        public static func authenticated(_ client: OAuthClient) -> Caller {
            client.scopes.contains(AdminTokenAuthenticator.requiredScope) ? .administrator : .client(client)
        }
    }

    private let verifier: JWTVerifier
    private let tokens: any TokenStore
    private let clients: any ClientLookup
    private let users: any UserStore
    private let subjects: SubjectIdentifier
    private let configuration: ServerConfiguration
    private let clock: any WallClock

    public init(
        verifier: JWTVerifier,
        tokens: any TokenStore,
        clients: any ClientLookup,
        users: any UserStore,
        subjects: SubjectIdentifier,
        configuration: ServerConfiguration,
        clock: any WallClock
    ) {
        self.subjects = subjects
        self.verifier = verifier
        self.tokens = tokens
        self.clients = clients
        self.users = users
        self.configuration = configuration
        self.clock = clock
    }

    /// The record of `token`, active or not; nil when the server never issued it.
    public func record(of token: String) async throws -> IssuedToken? {
        guard !token.isEmpty, token.utf8.count <= JWTVerifier.maximumLength else { return nil }
        if token.hasPrefix(OpaqueToken.Kind.accessToken.prefix) || token.hasPrefix(OpaqueToken.Kind.refreshToken.prefix) {
            return try await tokens.token(digest: OpaqueToken.digest(token), tenant: configuration.tenant)
        }
        guard let payload = try? verifier.verify(token, type: "at+jwt"),
            let claims = try? JSONDecoder().decode(AccessTokenClaims.self, from: Data(payload)), claims.iss == configuration.issuer
        else { return nil }
        guard let record = try await tokens.token(id: claims.jti, tenant: configuration.tenant), record.clientID == claims.clientID
        else { return nil }
        return record
    }

    /// RFC 7662 §2.2: the claims of an active token the caller may see, or nil for anything
    /// else — a token of another client looks exactly like an inactive one (no existence leak).
    public func introspect(_ token: String, by caller: Caller) async throws -> Introspection? {
        let now = clock.now
        guard let record = try await record(of: token), record.tenant == configuration.tenant, record.isActive(at: now),
            record.consumedAt == nil
        else { return nil }
        let seesUsername: Bool
        switch caller {
        case .administrator:
            seesUsername = true
        case .client(let caller):
            let isResourceServer = caller.openID.isResourceServer == true
            guard record.clientID == caller.clientID || isResourceServer else { return nil }
            seesUsername = isResourceServer
        }
        guard let client = try await clients.client(clientID: record.clientID, tenant: configuration.tenant), client.status == .active
        else { return nil }
        var username: String?
        var subject = record.clientID
        if let userID = record.userID {
            guard let user = try await users.user(id: userID, tenant: configuration.tenant), user.status == .active else { return nil }
            username = seesUsername ? user.username : nil
            // The subject the token was issued with: pairwise stays pairwise (OpenID Connect Core §8.1).
            subject = subjects.subject(for: userID, client: client)
        }
        var isAdministrator = false
        if case .administrator = caller { isAdministrator = true }
        let attributes = record.attributes
        return Introspection(
            active: true,
            scope: record.scope.isEmpty ? nil : record.scope,
            clientID: record.clientID,
            username: username,
            tokenType: record.kind == .accessToken ? attributes.tokenType : "refresh_token",
            exp: Int64(record.expiresAt.timeIntervalSince1970),
            iat: Int64(record.createdAt.timeIntervalSince1970),
            sub: subject,
            aud: Audience(attributes.audience.isEmpty ? [configuration.issuer] : attributes.audience),
            iss: configuration.issuer,
            jti: record.id,
            cnf: attributes.confirmation,
            act: attributes.actor,
            authorizationDetails: attributes.authorizationDetails,
            userID: record.userID.map { isAdministrator ? $0 : subject }
        )
    }
}

/// An active token's introspection response (RFC 7662 §2.2).
public struct Introspection: Sendable, Equatable, Encodable {
    public var active: Bool
    public var scope: String?
    public var clientID: String
    public var username: String?
    public var tokenType: String
    public var exp: Int64
    public var iat: Int64
    public var sub: String
    /// One string when the token has one audience (as every token so far), else an array.
    public var aud: Audience
    public var iss: String
    public var jti: String
    /// Present only for a sender-constrained token.
    public var cnf: Confirmation?
    /// Present only for a token issued to an actor on the subject's behalf.
    public var act: TokenAttributes.Actor?
    /// RFC 9396 §9.2: present only for a token with authorization details.
    public var authorizationDetails: AuthorizationDetails?
    /// Not an RFC 7662 member; used by the internal introspection variant: the internal user
    /// id for an administrator, else the same value as `sub`.
    public var userID: String?

    enum CodingKeys: String, CodingKey {
        case active, scope, username, exp, iat, sub, aud, iss, jti, cnf, act
        case clientID = "client_id"
        case tokenType = "token_type"
        case authorizationDetails = "authorization_details"
    }
}
