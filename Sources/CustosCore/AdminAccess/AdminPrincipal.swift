/// The caller of the admin API, proven by an access token Custos issued with the `admin` scope.
public struct AdminPrincipal: Sendable, Equatable {
    public let clientID: String
    public let tokenID: String
    public let scopes: [String]

    public init(clientID: String, tokenID: String, scopes: [String]) {
        self.clientID = clientID
        self.tokenID = tokenID
        self.scopes = scopes
    }

    public var auditActor: AuditActor { AuditActor(type: "client", id: clientID) }
}

/// Why a bearer-protected request was refused: 401 for no proof of identity, 403 for too little right.
public enum AccessDenied: Error, Sendable, Equatable {
    case unauthenticated(String)
    case forbidden(String)
}
