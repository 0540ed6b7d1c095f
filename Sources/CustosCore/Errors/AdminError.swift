/// What an administrative operation can refuse. The HTTP layer maps each case to its status
/// (400, 404, 409) and a `SimpleResponse`; the message is safe to show and names the field.
public enum AdminError: Error, Sendable, Equatable {
    /// A request field is missing or wrong; `field` is its JSON name.
    case invalidField(field: String, message: String)
    /// A request that is well-formed but not allowed in the current state (e.g. deleting the last secret).
    case badRequest(String)
    case notFound(String)
    case conflict(String)

    public var message: String {
        switch self {
        case .invalidField(let field, let message): "\(field): \(message)"
        case .badRequest(let message), .notFound(let message), .conflict(let message): message
        }
    }
}
