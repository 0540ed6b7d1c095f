/// How a client's access tokens look: an RFC 9068 JWT a resource server can verify on its
/// own, or an opaque random string it must introspect (revocation then takes effect at once).
public enum AccessTokenFormat: String, Sendable, CaseIterable, Codable {
    case jwt
    case opaque
}
