/// The admin API's (Autional contract's) names for the members of `ClientMetadata` that it
/// names differently from RFC 7591: the one rename table between the two vocabularies. Every
/// other member keeps its wire name in the admin API, so a field added to `ClientMetadata`
/// appears there without an edit here.
public enum AdminClientNames {
    /// Wire name → admin name.
    public static let renames: KeyValuePairs<ClientMetadata.CodingKeys, String> = [
        .name: "name",
        .authMethods: "client_auth_methods",
        .scopes: "scopes",
        .logoURL: "logo_url",
        .privacyPolicy: "privacy_policy",
        .termsURL: "terms_url",
        .website: "website",
    ]

    private static let adminByWire = Dictionary(uniqueKeysWithValues: renames.map { ($0.key.rawValue, $0.value) })
    private static let wireByAdmin = Dictionary(uniqueKeysWithValues: renames.map { ($0.value, $0.key.rawValue) })

    /// The admin API's name for a wire name (itself where the two agree).
    public static func adminName(for wireName: String) -> String { adminByWire[wireName] ?? wireName }

    /// The wire name for an admin API name (itself where the two agree).
    public static func wireName(for adminName: String) -> String { wireByAdmin[adminName] ?? adminName }
}
