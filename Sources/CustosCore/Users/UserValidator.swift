import Foundation

/// The rules for user fields; each failure names the field.
public enum UserValidator {
    public static let knownRoles: Set<String> = ["admin", "user"]

    public static func username(_ value: String?) throws(AdminError) -> String {
        guard let value, !value.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw .invalidField(field: "username", message: "is required")
        }
        guard (3...64).contains(value.count),
            value.unicodeScalars.allSatisfy({ $0.isASCIILetter || ("0"..."9").contains($0) || "._-+".unicodeScalars.contains($0) })
        else {
            throw .invalidField(field: "username", message: "must be 3 to 64 letters, digits, or . _ - +")
        }
        return value
    }

    public static func email(_ value: String?) throws(AdminError) -> String {
        guard let value, !value.isEmpty else { throw .invalidField(field: "email", message: "is required") }
        let parts = value.split(separator: "@", omittingEmptySubsequences: false)
        guard value.utf8.count <= 254, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
            !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
            value.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value != 0x7F && !"<>()[]\\,;:\"".unicodeScalars.contains($0) })
        else { throw .invalidField(field: "email", message: "must be an email address") }
        return value
    }

    public static func password(_ value: String) throws(AdminError) -> String {
        if let problem = PasswordPolicy.problem(with: value) { throw .invalidField(field: "password", message: problem) }
        return value
    }

    public static func roles(_ values: [String]) throws(AdminError) -> [String] {
        if let unknown = values.first(where: { !knownRoles.contains($0) }) {
            throw .invalidField(field: "roles", message: "unknown role \"\(unknown)\"; use admin or user")
        }
        return Array(Set(values)).sorted()
    }

    public static func status(_ value: String) throws(AdminError) -> User.Status {
        guard let status = User.Status(rawValue: value) else {
            throw .invalidField(field: "status", message: "must be active, disabled or locked")
        }
        return status
    }

    public static func profile(_ profile: UserProfile) throws(AdminError) -> UserProfile {
        let texts: [(String, String?)] = [
            ("name", profile.name), ("given_name", profile.givenName), ("family_name", profile.familyName),
            ("preferred_username", profile.preferredUsername), ("picture", profile.picture), ("locale", profile.locale),
            ("zoneinfo", profile.zoneinfo), ("phone_number", profile.phoneNumber),
        ]
        for (field, text) in texts where (text?.count ?? 0) > 512 {
            throw .invalidField(field: field, message: "must be at most 512 characters")
        }
        if let picture = profile.picture, !picture.isEmpty,
            !(picture.hasPrefix("https://") && URLComponents(string: picture)?.host?.isEmpty == false)
        {
            throw .invalidField(field: "picture", message: "must be an absolute https URL")
        }
        return profile
    }
}
