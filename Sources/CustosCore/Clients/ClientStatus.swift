/// A suspended client keeps its configuration but can obtain no token.
public enum ClientStatus: String, Sendable, CaseIterable, Codable {
    case active
    case suspended
}
