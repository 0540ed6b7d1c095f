import Foundation

/// The claims a user releases for a set of scopes (OpenID Connect Core §5.4): `profile`,
/// `email`, `address` and `phone` each open a fixed group of standard claims.
public enum ClaimsProvider {
    public static let claimsByScope: [String: [String]] = [
        "profile": [
            "name", "given_name", "family_name", "preferred_username", "picture", "locale", "zoneinfo", "updated_at",
        ],
        "email": ["email", "email_verified"],
        "address": ["address"],
        "phone": ["phone_number", "phone_number_verified"],
    ]

    /// Every claim about the user that some scope releases.
    public static let userClaimNames: Set<String> = Set(claimsByScope.values.flatMap { $0 })

    public static var supportedClaims: [String] {
        ["sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "acr", "amr", "azp", "sid", "at_hash"]
            + claimsByScope.values.flatMap { $0 }.sorted()
    }

    /// Every claim the user has for `scopes`, besides `sub`; absent values are left out.
    public static func claims(of user: User, scopes: [String], extra: Set<String> = []) -> [String: any Sendable] {
        var names = Set(scopes.flatMap { claimsByScope[$0] ?? [] })
        names.formUnion(extra)
        let profile = user.profile
        var claims: [String: any Sendable] = [:]
        func put(_ name: String, _ value: (any Sendable)?) {
            if names.contains(name), let value { claims[name] = value }
        }
        put("name", profile.name)
        put("given_name", profile.givenName)
        put("family_name", profile.familyName)
        put("preferred_username", profile.preferredUsername ?? user.username)
        put("picture", profile.picture)
        put("locale", profile.locale)
        put("zoneinfo", profile.zoneinfo)
        put("updated_at", Int(user.updatedAt.timeIntervalSince1970))
        put("email", user.email)
        put("email_verified", user.emailVerified)
        put("phone_number", profile.phoneNumber)
        put("phone_number_verified", profile.phoneNumber == nil ? nil : (profile.phoneNumberVerified ?? false))
        if names.contains("address"), let address = profile.address {
            var value: [String: String] = [:]
            value["formatted"] = address.formatted
            value["street_address"] = address.streetAddress
            value["locality"] = address.locality
            value["region"] = address.region
            value["postal_code"] = address.postalCode
            value["country"] = address.country
            claims["address"] = value
        }
        return claims
    }
}
