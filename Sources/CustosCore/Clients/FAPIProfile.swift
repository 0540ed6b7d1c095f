/// The FAPI profile a client is held to; the empty string means none (pinned rule 10).
public enum FAPIProfile: String, Sendable, CaseIterable, Codable {
    case none = ""
    case fapi1 = "fapi1"
    case fapi2 = "fapi2"
    case fapi2MessageSigning = "fapi2_message_signing"
}
