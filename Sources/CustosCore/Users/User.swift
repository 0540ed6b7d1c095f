import Foundation

/// A person who signs in. Usernames and emails are unique per tenant, compared without case.
public struct User: Sendable, Equatable {
    public enum Status: String, Sendable, CaseIterable, Codable {
        case active
        case disabled
        case locked
    }

    public var id: String
    public var tenant: TenantID
    public var username: String
    public var email: String
    public var emailVerified: Bool
    public var profile: UserProfile
    public var roles: [String]
    public var status: Status
    /// PHC string (`$scrypt$ln=17,r=8,p=1$salt$hash`); nil for a user who cannot sign in with a password.
    public var passwordHash: String?
    public var createdAt: Date
    public var updatedAt: Date
    public var deletedAt: Date?

    public init(
        id: String,
        tenant: TenantID,
        username: String,
        email: String,
        emailVerified: Bool = false,
        profile: UserProfile = UserProfile(),
        roles: [String] = [],
        status: Status = .active,
        passwordHash: String? = nil,
        createdAt: Date,
        updatedAt: Date,
        deletedAt: Date? = nil
    ) {
        self.id = id
        self.tenant = tenant
        self.username = username
        self.email = email
        self.emailVerified = emailVerified
        self.profile = profile
        self.roles = roles
        self.status = status
        self.passwordHash = passwordHash
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.deletedAt = deletedAt
    }
}

/// The OpenID Connect standard claims a user carries (OpenID Connect Core §5.1), besides
/// `sub`, `email` and `email_verified`, which live on `User`.
public struct UserProfile: Sendable, Equatable, Codable {
    public var name: String?
    public var givenName: String?
    public var familyName: String?
    public var preferredUsername: String?
    public var picture: String?
    public var locale: String?
    public var zoneinfo: String?
    public var phoneNumber: String?
    public var phoneNumberVerified: Bool?
    public var address: Address?

    public init(
        name: String? = nil,
        givenName: String? = nil,
        familyName: String? = nil,
        preferredUsername: String? = nil,
        picture: String? = nil,
        locale: String? = nil,
        zoneinfo: String? = nil,
        phoneNumber: String? = nil,
        phoneNumberVerified: Bool? = nil,
        address: Address? = nil
    ) {
        self.name = name
        self.givenName = givenName
        self.familyName = familyName
        self.preferredUsername = preferredUsername
        self.picture = picture
        self.locale = locale
        self.zoneinfo = zoneinfo
        self.phoneNumber = phoneNumber
        self.phoneNumberVerified = phoneNumberVerified
        self.address = address
    }

    enum CodingKeys: String, CodingKey {
        case name, picture, locale, zoneinfo, address
        case givenName = "given_name"
        case familyName = "family_name"
        case preferredUsername = "preferred_username"
        case phoneNumber = "phone_number"
        case phoneNumberVerified = "phone_number_verified"
    }

    /// OpenID Connect Core §5.1.1.
    public struct Address: Sendable, Equatable, Codable {
        public var formatted: String?
        public var streetAddress: String?
        public var locality: String?
        public var region: String?
        public var postalCode: String?
        public var country: String?

        public init(
            formatted: String? = nil,
            streetAddress: String? = nil,
            locality: String? = nil,
            region: String? = nil,
            postalCode: String? = nil,
            country: String? = nil
        ) {
            self.formatted = formatted
            self.streetAddress = streetAddress
            self.locality = locality
            self.region = region
            self.postalCode = postalCode
            self.country = country
        }

        enum CodingKeys: String, CodingKey {
            case formatted, locality, region, country
            case streetAddress = "street_address"
            case postalCode = "postal_code"
        }
    }
}
