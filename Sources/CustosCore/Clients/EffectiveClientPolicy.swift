/// What a client is held to once its FAPI profile and its own flags are combined: the one
/// place that says what a profile turns on. The enforcement points (authorization and PAR
/// endpoints, request objects, client assertions, the token endpoint's sender constraints) ask
/// it, the registration rules check the metadata against it, and the admin API shows it, so
/// what an administrator reads is what the server enforces.
///
/// It is computed from the stored client, never stored itself: a profile change then cannot
/// leave a flag behind that the old profile turned on.
///
/// | | none | fapi1 | fapi2 | fapi2_message_signing |
/// |---|---|---|---|---|
/// | PAR required | flag | flag | yes | yes |
/// | signed request object | flag | yes (value, reference or PAR) | flag | yes, through PAR |
/// | algorithms | any | PS256, ES256 | PS256, ES256, EdDSA | PS256, ES256, EdDSA |
/// | PKCE | unless `require_pkce: false` | always with PAR, else unless `require_pkce: false` | always | always |
/// | sender constraint | flags | mTLS | DPoP or mTLS | DPoP or mTLS |
/// | authentication | any | private_key_jwt, mTLS | private_key_jwt, mTLS | private_key_jwt, mTLS |
public struct EffectiveClientPolicy: Sendable, Equatable {
    /// How the client's access tokens must be bound to it.
    public enum SenderConstraint: String, Sendable, Equatable {
        /// Bound only where the client's flags or its request ask for it.
        case optional
        /// FAPI 2.0 Security Profile §5.3.2.1 item 4: DPoP or mutual TLS, either one.
        case dpopOrMutualTLS = "dpop_or_mtls"
        /// FAPI 1.0 Advanced §5.2.2 item 5 (RFC 8705 §3): certificate-bound only; a DPoP proof
        /// does not satisfy it.
        case mutualTLS = "mtls"
    }

    public let profile: FAPIProfile
    /// Every authorization request must come through PAR (RFC 9126 §6), before the
    /// operator's own setting (`CUSTOS_REQUIRE_PAR`), which the PAR endpoint adds.
    public let requiresPushedAuthorizationRequests: Bool
    /// Every authorization request must be a signed request object (RFC 9101 §10.5); only its
    /// parameters count.
    public let requiresSignedRequestObject: Bool
    /// FAPI 1.0 Advanced §5.2.2 item 10: every parameter the query carries beside the object
    /// must be in the object, with the same value.
    public let requiresEveryParameterInRequestObject: Bool
    /// The algorithms the client's signatures (request objects, client assertions) and its
    /// signed responses (ID tokens, userinfo, JARM, introspection) may use; nil means any the
    /// server knows.
    public let signingAlgorithms: Set<SigningAlgorithm>?
    /// PKCE on an authorization request that does not come through PAR.
    public let requiresPKCE: Bool
    /// PKCE on a pushed request (FAPI 1.0 Advanced §5.2.2 item 18: S256 whenever PAR is used).
    public let requiresPKCEWithPushedRequest: Bool
    public let senderConstraint: SenderConstraint
    /// The authentication methods the client may register; nil means any the server supports.
    public let authenticationMethods: Set<ClientAuthenticationMethod>?
    /// FAPI 2.0 Security Profile §5.3.2.1 item 8 (pinned rule 5) and Message Signing: the `aud`
    /// of client assertions and request objects is the issuer, as the only value. FAPI 1.0
    /// Advanced keeps OpenID Connect's rule (§5.2.2 item 15: the issuer, or an array containing
    /// it; client assertions may name the token endpoint, Core §9).
    public let requiresIssuerAsSoleAudience: Bool

    /// FAPI 2.0 Security Profile §5.4.1 (and Message Signing §5.4): PS256, ES256 or EdDSA.
    public static let fapi2Algorithms: Set<SigningAlgorithm> = [.PS256, .ES256, .EdDSA]
    /// FAPI 1.0 Advanced §8.6: PS256 or ES256 only.
    public static let fapi1Algorithms: Set<SigningAlgorithm> = [.PS256, .ES256]
    /// FAPI 2.0 Security Profile §5.3.2.1 and FAPI 1.0 Advanced §5.2.2 item 14.
    public static let fapiAuthenticationMethods: Set<ClientAuthenticationMethod> = [.privateKeyJWT, .tlsClientAuth, .selfSignedTLSClientAuth]

    public init(metadata: ClientMetadata, pkceRequired: Bool) {
        let profile = metadata.fapiProfile
        self.profile = profile
        let parFlag = metadata.requirePushedAuthorizationRequests == true
        let signedFlag = metadata.requireSignedRequestObject == true
        let forcesPKCE = pkceRequired || !metadata.isConfidential
        switch profile {
        case .none:
            requiresPushedAuthorizationRequests = parFlag
            requiresSignedRequestObject = signedFlag
            signingAlgorithms = nil
            requiresPKCE = forcesPKCE
            senderConstraint = .optional
            authenticationMethods = nil
        case .fapi1:
            requiresPushedAuthorizationRequests = parFlag
            requiresSignedRequestObject = true
            signingAlgorithms = Self.fapi1Algorithms
            requiresPKCE = forcesPKCE
            senderConstraint = .mutualTLS
            authenticationMethods = Self.fapiAuthenticationMethods
        case .fapi2, .fapi2MessageSigning:
            requiresPushedAuthorizationRequests = true
            requiresSignedRequestObject = profile == .fapi2MessageSigning || signedFlag
            signingAlgorithms = Self.fapi2Algorithms
            requiresPKCE = true
            senderConstraint = .dpopOrMutualTLS
            authenticationMethods = Self.fapiAuthenticationMethods
        }
        requiresEveryParameterInRequestObject = profile == .fapi1
        requiresIssuerAsSoleAudience = profile == .fapi2 || profile == .fapi2MessageSigning
        requiresPKCEWithPushedRequest = requiresPKCE || profile == .fapi1
    }

    public init(_ client: OAuthClient) {
        self.init(metadata: client.metadata, pkceRequired: client.pkceRequired)
    }

    /// Whether the client may sign with (or be answered in) `algorithm`.
    public func allows(_ algorithm: SigningAlgorithm) -> Bool {
        signingAlgorithms?.contains(algorithm) ?? true
    }

    /// The algorithm of a response signed for this client (JARM §3, RFC 9701 §6): the one it
    /// registered, else the server's default when the profile allows it, else ES256 (RS256 for
    /// every FAPI profile, and EdDSA for fapi1, are not allowed; FAPI 2.0 Security Profile
    /// §5.4.1, FAPI 1.0 Advanced §8.6). nil for a registered value that names no algorithm.
    public func responseAlgorithm(registered: String?, serverDefault: SigningAlgorithm) -> SigningAlgorithm? {
        if let registered { return SigningAlgorithm(rawValue: registered) }
        return allows(serverDefault) ? serverDefault : .ES256
    }

    /// Only the request object's parameters count, and an unsigned object is refused.
    public var isStrictAboutRequestObjects: Bool {
        profile != .none || requiresSignedRequestObject
    }

    /// The algorithms in the order the errors and the admin view name them.
    public var signingAlgorithmNames: [String] {
        SigningAlgorithm.allCases.filter(allows).map(\.rawValue)
    }
}

extension OAuthClient {
    /// What this client is held to (`EffectiveClientPolicy`).
    public var policy: EffectiveClientPolicy { EffectiveClientPolicy(self) }
}
