/// The credentials a request carries, as the HTTP layer found them. More than one mechanism
/// in one request is an error (RFC 6749 §2.3).
public struct PresentedClientCredentials: Sendable, Equatable {
    /// From `Authorization: Basic`.
    public var basic: BasicCredentials?
    /// `client_id` from the body, when present.
    public var bodyClientID: String?
    /// `client_secret` from the body (client_secret_post).
    public var bodySecret: String?
    /// `client_assertion` and `client_assertion_type` (RFC 7521 §4.2).
    public var assertion: String?
    public var assertionType: String?

    public init(
        basic: BasicCredentials? = nil,
        bodyClientID: String? = nil,
        bodySecret: String? = nil,
        assertion: String? = nil,
        assertionType: String? = nil
    ) {
        self.basic = basic
        self.bodyClientID = bodyClientID
        self.bodySecret = bodySecret
        self.assertion = assertion
        self.assertionType = assertionType
    }

    /// How many credential-carrying mechanisms the request uses: the Basic header, a body
    /// secret, a client assertion (either of its two parameters counts). A bare `client_id`
    /// is an identifier, not a mechanism. RFC 6749 §2.3 allows at most one.
    public var mechanismCount: Int {
        [basic != nil, bodySecret != nil, assertion != nil || assertionType != nil].filter { $0 }.count
    }

    /// The client id the request names before anything is verified (throttling key).
    public var claimedClientID: String? { basic?.id ?? bodyClientID }
}
