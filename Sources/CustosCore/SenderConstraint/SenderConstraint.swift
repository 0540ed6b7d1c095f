/// One way a client can bind its tokens to something it holds (RFC 9449 DPoP: a key it proves
/// per request; RFC 8705 mTLS: its TLS certificate). The token endpoint asks every registered
/// constraint once per request, before the grant runs; the one that recognises what the
/// request presents answers the binding the new tokens carry (`cnf`), the others answer nil.
///
/// A constraint throws `OAuthError` when the request presents its proof but the proof is bad
/// (RFC 9449 §7.1: `invalid_dpop_proof`); it returns nil when the request presents nothing of
/// its kind. Adding a constraint is one new type and one line in `AuthorizationServer`.
public protocol SenderConstraint: Sendable {
    func confirmation(for request: TokenRequest, client: AuthenticatedClient) async throws -> Confirmation?
}
