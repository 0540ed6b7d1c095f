/// The credentials a request carries, as the HTTP layer found them. More than one mechanism
/// in one request is an error (RFC 6749 §2.3).
public struct PresentedClientCredentials: Sendable, Equatable {
    /// From `Authorization: Basic`, already form-URL-decoded (RFC 6749 §2.3.1).
    public var basic: (id: String, secret: String)?
    /// `client_id` from the body, when present.
    public var bodyClientID: String?
    /// `client_secret` from the body (client_secret_post).
    public var bodySecret: String?
    /// `client_assertion` and `client_assertion_type` (RFC 7521 §4.2).
    public var assertion: String?
    public var assertionType: String?

    public init(
        basic: (id: String, secret: String)? = nil,
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

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.basic?.id == rhs.basic?.id && lhs.basic?.secret == rhs.basic?.secret && lhs.bodyClientID == rhs.bodyClientID
            && lhs.bodySecret == rhs.bodySecret && lhs.assertion == rhs.assertion && lhs.assertionType == rhs.assertionType
    }
}
