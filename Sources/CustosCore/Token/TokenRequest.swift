/// The form parameters of a token request, each present at most once (the HTTP layer refuses
/// repeated parameters, RFC 6749 §3.2).
public struct TokenRequest: Sendable {
    public var parameters: [String: String]

    public init(parameters: [String: String]) {
        self.parameters = parameters
    }

    public subscript(_ name: String) -> String? { parameters[name] }

    /// Keeps only the parameters a grant reads, so that nothing another grant means can leak in.
    func restricted(to names: Set<String>) -> TokenRequest {
        TokenRequest(parameters: parameters.filter { names.contains($0.key) })
    }
}
