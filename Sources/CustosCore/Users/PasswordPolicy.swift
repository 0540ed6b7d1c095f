/// NIST SP 800-63B §5.1.1.2: at least 8 characters, at most a generous maximum (256 here), no
/// composition rules, and no password from a list of commonly used ones.
public enum PasswordPolicy {
    public static let minimumLength = 8
    public static let maximumLength = 256

    /// Returns why `password` is not acceptable, or nil.
    public static func problem(with password: String) -> String? {
        if password.count < minimumLength { return "must be at least \(minimumLength) characters" }
        if password.count > maximumLength { return "must be at most \(maximumLength) characters" }
        if commonPasswords.contains(password.lowercased()) { return "is too common; choose another" }
        return nil
    }

    /// The most common passwords of public breach corpora that are 8 characters or longer.
    static let commonPasswords: Set<String> = [
        "password", "password1", "password12", "password123", "password1234", "passw0rd", "p@ssw0rd", "p@ssword",
        "12345678", "123456789", "1234567890", "0987654321", "87654321", "11111111", "00000000", "12341234",
        "123123123", "qwertyui", "qwertyuiop", "qwerty123", "qwerty12", "1q2w3e4r", "1q2w3e4r5t", "1qaz2wsx",
        "zaq12wsx", "abcd1234", "abc12345", "abcdefgh", "iloveyou", "iloveyou1", "sunshine", "princess",
        "football", "baseball", "welcome1", "welcome123", "letmein1", "trustno1", "superman", "starwars",
        "whatever", "computer", "internet", "michelle", "jennifer", "asdfghjk", "asdfasdf", "zxcvbnm1",
        "monkey123", "dragon123", "master123", "shadow123", "changeme", "changeme1", "administrator", "admin123",
        "admin1234", "letmein123", "football1", "1234qwer", "qazwsxedc", "q1w2e3r4", "q1w2e3r4t5", "aa123456",
        "a1234567", "a12345678", "12qwaszx", "88888888", "66666666", "99999999", "123654789", "147258369",
        "987654321", "11223344", "12344321", "superman1", "mustang1", "michael1", "jordan23", "liverpool",
        "chelsea1", "arsenal1", "pokemon1", "samsung1", "google123", "secret123", "default1", "passpass",
    ]
}
