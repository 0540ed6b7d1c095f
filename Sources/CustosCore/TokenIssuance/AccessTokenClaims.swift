import Foundation

/// The claims of a JWT access token (RFC 9068 §2.2). `cnf` (RFC 9449 §6.1, RFC 8705 §3.1) and
/// `act` (RFC 8693 §4.1) appear only when the token has them, so an unbound token's claims
/// are exactly what they were before either existed.
public struct AccessTokenClaims: Codable, Sendable, Equatable {
    public var iss: String
    public var sub: String
    public var aud: Audience
    public var exp: Int64
    public var iat: Int64
    public var jti: String
    public var clientID: String
    public var scope: String?
    public var cnf: Confirmation?
    public var act: TokenAttributes.Actor?
    /// RFC 9396 §9.1: the token's authorization details; absent when it has none.
    public var authorizationDetails: AuthorizationDetails?

    enum CodingKeys: String, CodingKey {
        case iss, sub, aud, exp, iat, jti, scope, cnf, act
        case clientID = "client_id"
        case authorizationDetails = "authorization_details"
    }

    public init(
        iss: String,
        sub: String,
        aud: Audience,
        exp: Int64,
        iat: Int64,
        jti: String,
        clientID: String,
        scope: String?,
        cnf: Confirmation? = nil,
        act: TokenAttributes.Actor? = nil,
        authorizationDetails: AuthorizationDetails? = nil
    ) {
        self.authorizationDetails = authorizationDetails
        self.cnf = cnf
        self.act = act
        self.iss = iss
        self.sub = sub
        self.aud = aud
        self.exp = exp
        self.iat = iat
        self.jti = jti
        self.clientID = clientID
        self.scope = scope
    }

    public var scopes: [String] { scope.map { $0.split(separator: " ").map(String.init) } ?? [] }
}

/// RFC 7519 §4.1.3: `aud` is a string or an array of strings.
public struct Audience: Codable, Sendable, Equatable {
    public var values: [String]

    public init(_ values: [String]) { self.values = values }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let single = try? container.decode(String.self) {
            values = [single]
        } else {
            values = try container.decode([String].self)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if values.count == 1 { try container.encode(values[0]) } else { try container.encode(values) }
    }

    public func contains(_ value: String) -> Bool { values.contains(value) }
}
