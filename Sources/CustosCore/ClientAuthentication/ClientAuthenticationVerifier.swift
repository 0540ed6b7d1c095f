/// One family of client authentication methods (RFC 6749 §2.3, RFC 7523, RFC 8705). The
/// server supports exactly the methods of the verifiers `ClientAuthenticator` holds: adding
/// a method is adding a verifier, and discovery and client registration follow from it.
public protocol ClientAuthenticationVerifier: Sendable {
    /// The methods this verifier can prove.
    var methods: Set<ClientAuthenticationMethod> { get }

    /// Whether the request has this verifier's shape (which credentials are present);
    /// nothing is checked yet.
    func presents(_ presentation: RequestPresentation) -> Bool

    /// The client id the request claims, read before anything is verified. Throws the
    /// method's own error when the shape is incomplete (e.g. a body secret without client_id).
    func claimedClientID(in presentation: RequestPresentation) throws -> String

    /// Verifies the presented credentials for `client`, which is active and registered at
    /// least one of `methods`; returns the method used, which the client registered.
    /// Throws `invalid_client` on every failure.
    func verify(_ presentation: RequestPresentation, for client: OAuthClient) async throws -> ClientAuthenticationMethod

    /// The error for a claimed client that is unknown, inactive or registered none of
    /// `methods`. Spends the work a real check would, so timing does not tell which step failed.
    func refusal(for presentation: RequestPresentation) -> OAuthError
}
