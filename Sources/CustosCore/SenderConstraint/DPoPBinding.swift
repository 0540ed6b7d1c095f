/// The DPoP sender constraint (RFC 9449 §5): a token request with a valid proof gets tokens
/// bound to the proof's key (`cnf.jkt`, `token_type: DPoP`). A request without a proof gets
/// bearer tokens, unless the client registered `dpop_bound_access_tokens: true` (§5.2), in
/// which case it is refused.
///
/// Nonces (§8) are required from FAPI clients and, when `CUSTOS_DPOP_NONCE=required`, from
/// every client; a nonce that is present is always checked.
public struct DPoPBinding: SenderConstraint {
    public let verifier: DPoPProofVerifier
    private let configuration: ServerConfiguration

    public init(verifier: DPoPProofVerifier, configuration: ServerConfiguration) {
        self.verifier = verifier
        self.configuration = configuration
    }

    public func confirmation(for request: TokenRequest, client: AuthenticatedClient) async throws -> Confirmation? {
        guard let proof = try await proof(in: request.presentation, client: client.client) else {
            if client.client.dpopBoundAccessTokens == true {
                throw OAuthError.invalidDPoPProof("this client must send a DPoP proof (dpop_bound_access_tokens)")
            }
            return nil
        }
        return .jkt(proof.thumbprint)
    }

    /// For the PAR endpoint (§10.1): the key the authorization code must be bound to, from the
    /// request's proof and/or its `dpop_jkt` parameter; nil when neither is there. Both
    /// present and different is `invalid_dpop_proof`.
    public func pushedRequestKey(presentation: RequestPresentation, dpopJKT: String?, client: OAuthClient) async throws -> String? {
        if let dpopJKT, !Self.isThumbprint(dpopJKT) { throw OAuthError.invalidRequest("dpop_jkt is not a JWK SHA-256 thumbprint") }
        guard let proof = try await proof(in: presentation, client: client) else {
            if client.dpopBoundAccessTokens == true, dpopJKT == nil {
                throw OAuthError.invalidDPoPProof("this client must send a DPoP proof (dpop_bound_access_tokens)")
            }
            return dpopJKT
        }
        if let dpopJKT, dpopJKT != proof.thumbprint {
            throw OAuthError.invalidDPoPProof("dpop_jkt does not match the DPoP proof's key")
        }
        return proof.thumbprint
    }

    /// Whether a proof from this client must carry a server nonce.
    public func requiresNonce(for client: OAuthClient) -> Bool {
        configuration.dpopNonce == .required || client.fapiProfile != .none
    }

    /// A base64url SHA-256 thumbprint (RFC 7638 §3): 43 characters.
    public static func isThumbprint(_ value: String) -> Bool {
        value.utf8.count == 43 && Base64URL.decode(value)?.count == 32
    }

    private func proof(in presentation: RequestPresentation, client: OAuthClient) async throws -> DPoPProof? {
        guard let proof = presentation.dpopProof else { return nil }
        return try await verifier.verify(
            proof,
            expecting: DPoPExpectation(htm: presentation.htm, htu: presentation.htu, requiresNonce: requiresNonce(for: client))
        )
    }
}
