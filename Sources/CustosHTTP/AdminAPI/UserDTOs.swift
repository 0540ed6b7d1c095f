import CustosCore
import Foundation

/// Body of `POST /admin/users` and `PUT /admin/users/{id}`: the account fields and the
/// OpenID standard claims, flat, by their claim names.
struct UserRequestBody: Decodable {
    var username: String?
    var email: String?
    var emailVerified: Bool?
    var password: String?
    var roles: [String]?
    var status: String?
    var name: String?
    var givenName: String?
    var familyName: String?
    var preferredUsername: String?
    var picture: String?
    var locale: String?
    var zoneinfo: String?
    var phoneNumber: String?
    var phoneNumberVerified: Bool?
    var address: UserProfile.Address?

    enum CodingKeys: String, CodingKey {
        case username, email, password, roles, status, name, picture, locale, zoneinfo, address
        case emailVerified = "email_verified"
        case givenName = "given_name"
        case familyName = "family_name"
        case preferredUsername = "preferred_username"
        case phoneNumber = "phone_number"
        case phoneNumberVerified = "phone_number_verified"
    }

    /// The profile after applying the given claims over `existing` (absent claims keep theirs).
    func request(existing: UserProfile?) -> UserRequest {
        let claimsGiven =
            [name, givenName, familyName, preferredUsername, picture, locale, zoneinfo, phoneNumber].contains { $0 != nil }
            || phoneNumberVerified != nil || address != nil
        var profile: UserProfile?
        if claimsGiven {
            var merged = existing ?? UserProfile()
            if let name { merged.name = name }
            if let givenName { merged.givenName = givenName }
            if let familyName { merged.familyName = familyName }
            if let preferredUsername { merged.preferredUsername = preferredUsername }
            if let picture { merged.picture = picture }
            if let locale { merged.locale = locale }
            if let zoneinfo { merged.zoneinfo = zoneinfo }
            if let phoneNumber { merged.phoneNumber = phoneNumber }
            if let phoneNumberVerified { merged.phoneNumberVerified = phoneNumberVerified }
            if let address { merged.address = address }
            profile = merged
        }
        return UserRequest(
            username: username,
            email: email,
            emailVerified: emailVerified,
            password: password,
            profile: profile,
            roles: roles,
            status: status
        )
    }
}

/// A user as the admin API shows it: never the password hash.
struct UserItem: Encodable {
    let user: User

    enum CodingKeys: String, CodingKey {
        case id, username, email, roles, status, name, picture, locale, zoneinfo, address
        case tenantID = "tenant_id"
        case emailVerified = "email_verified"
        case givenName = "given_name"
        case familyName = "family_name"
        case preferredUsername = "preferred_username"
        case phoneNumber = "phone_number"
        case phoneNumberVerified = "phone_number_verified"
        case hasPassword = "has_password"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        let profile = user.profile
        try container.encode(user.id, forKey: .id)
        try container.encode(user.tenant.rawValue, forKey: .tenantID)
        try container.encode(user.username, forKey: .username)
        try container.encode(user.email, forKey: .email)
        try container.encode(user.emailVerified, forKey: .emailVerified)
        try container.encode(user.roles, forKey: .roles)
        try container.encode(user.status.rawValue, forKey: .status)
        try container.encode(user.passwordHash != nil, forKey: .hasPassword)
        try container.encode(profile.name ?? "", forKey: .name)
        try container.encode(profile.givenName ?? "", forKey: .givenName)
        try container.encode(profile.familyName ?? "", forKey: .familyName)
        try container.encode(profile.preferredUsername ?? "", forKey: .preferredUsername)
        try container.encode(profile.picture ?? "", forKey: .picture)
        try container.encode(profile.locale ?? "", forKey: .locale)
        try container.encode(profile.zoneinfo ?? "", forKey: .zoneinfo)
        try container.encode(profile.phoneNumber ?? "", forKey: .phoneNumber)
        try container.encode(profile.phoneNumberVerified ?? false, forKey: .phoneNumberVerified)
        try container.encodeIfPresent(profile.address, forKey: .address)
        try container.encode(Timestamp.string(user.createdAt), forKey: .createdAt)
        try container.encode(Timestamp.string(user.updatedAt), forKey: .updatedAt)
    }
}

struct PasswordBody: Decodable {
    var password: String?
}

/// `dto.OAuthConsent`-like item of `GET /oauth/consents`.
struct ConsentItem: Encodable {
    let consent: Consent

    enum CodingKeys: String, CodingKey {
        case id, scopes
        case clientID = "client_id"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(consent.id, forKey: .id)
        try container.encode(consent.clientID, forKey: .clientID)
        try container.encode(consent.scopes, forKey: .scopes)
        try container.encode(Timestamp.string(consent.createdAt), forKey: .createdAt)
        try container.encode(Timestamp.string(consent.updatedAt), forKey: .updatedAt)
    }
}
