/// The form parameters of a token request, each present at most once (the HTTP layer refuses
/// repeated parameters, RFC 6749 §3.2), and what the request presented besides its form.
public struct TokenRequest: Sendable {
    public var parameters: [String: String]
    /// The credentials, DPoP proof and certificate the request brought; sender constraints
    /// (DPoP, mutual TLS) read it when they bind the issued tokens.
    public var presentation: RequestPresentation

    public init(parameters: [String: String], presentation: RequestPresentation = RequestPresentation()) {
        self.parameters = parameters
        self.presentation = presentation
    }

    public subscript(_ name: String) -> String? { parameters[name] }

    /// Keeps only the parameters a grant reads, so that nothing another grant means can leak
    /// in; the presentation is kept whole (it is not a parameter another grant could mean).
    func restricted(to names: Set<String>) -> TokenRequest {
        TokenRequest(parameters: parameters.filter { names.contains($0.key) }, presentation: presentation)
    }
}
