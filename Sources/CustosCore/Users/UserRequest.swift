/// What an administrator sends to create or change a user. Absent fields keep their value on
/// update; on create `username`, `email` are required.
public struct UserRequest: Sendable, Equatable {
    public var username: String?
    public var email: String?
    public var emailVerified: Bool?
    public var password: String?
    public var profile: UserProfile?
    public var roles: [String]?
    public var status: String?

    public init(
        username: String? = nil,
        email: String? = nil,
        emailVerified: Bool? = nil,
        password: String? = nil,
        profile: UserProfile? = nil,
        roles: [String]? = nil,
        status: String? = nil
    ) {
        self.username = username
        self.email = email
        self.emailVerified = emailVerified
        self.password = password
        self.profile = profile
        self.roles = roles
        self.status = status
    }
}
