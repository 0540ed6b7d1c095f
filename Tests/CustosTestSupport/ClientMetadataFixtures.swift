import CustosCore

/// Client metadata for round-trip tests.
public enum ClientMetadataFixtures {
    /// Every field of `ClientMetadata` set to a value other than its default (the core's
    /// `documentationSample`), so a codec or a store that drops or renames a member fails the
    /// comparison.
    public static var everyFieldSet: ClientMetadata { .documentationSample }
}
