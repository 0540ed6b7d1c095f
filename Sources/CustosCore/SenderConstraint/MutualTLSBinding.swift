/// Certificate-bound access tokens (RFC 8705 §3): the token's `cnf` carries `x5t#S256`, the
/// SHA-256 thumbprint of the client certificate of the token request, and a resource accepts
/// it only over a connection presenting that certificate.
///
/// Binds when
/// - the client registered `tls_client_certificate_bound_access_tokens: true` (RFC 8705 §3.4);
///   a request of such a client without a certificate is `invalid_request` (§3: the server
///   "MUST NOT" issue it an unbound token it asked to be bound), or
/// - the client has a FAPI profile, presents a certificate and no DPoP proof: FAPI 2.0 Security
///   Profile §5.3.2.1 item 4 wants every access token sender-constrained, by mTLS or by DPoP
///   (a DPoP proof is left to the DPoP binding, so that exactly one constraint answers).
///
/// Whatever authenticated the client (mTLS, a secret, an assertion), the certificate of this
/// request is the one bound (§3: binding is independent of the client authentication method).
public struct MutualTLSBinding: SenderConstraint {
    public init() {}

    public func confirmation(for request: TokenRequest, client: AuthenticatedClient) async throws -> Confirmation? {
        let certificate = request.presentation.clientCertificate
        if client.client.tlsClientCertificateBoundAccessTokens == true {
            guard let certificate else {
                throw OAuthError.invalidRequest(
                    "this client registered tls_client_certificate_bound_access_tokens; present its certificate (RFC 8705 §3)"
                )
            }
            return .x5tS256(certificate.thumbprint)
        }
        if client.client.policy.senderConstraint != .optional, let certificate, request.presentation.dpopProof == nil {
            return .x5tS256(certificate.thumbprint)
        }
        return nil
    }
}
