/// Client metadata as RFC 7591 §2 and OpenID Connect Registration §2 name it.
public struct RegistrationMetadata: Sendable, Equatable {
    public var redirectURIs: [String]?
    public var tokenEndpointAuthMethod: String?
    public var grantTypes: [String]?
    public var responseTypes: [String]?
    public var clientName: String?
    public var clientURI: String?
    public var logoURI: String?
    public var policyURI: String?
    public var tosURI: String?
    /// A JWK Set as JSON text (the wire form is an object).
    public var jwks: String?
    public var jwksURI: String?
    public var scope: String?
    public var openID = ClientMetadata()

    public init() {}
}
