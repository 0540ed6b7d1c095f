/// Mutual-TLS client authentication (RFC 8705 §2): the client proves itself with the
/// certificate of its TLS connection (or the one a trusted TLS-terminating proxy forwarded).
///
/// - `tls_client_auth` (§2.1): the certificate chains to a CA the operator configured
///   (`PresentedCertificate.chainsToTrustedCA`, decided by the HTTP layer with swift-certificates),
///   and the one name the client registered (§2.1.2: subject DN, or a SAN of type DNS, URI, IP
///   or email) is in it.
/// - `self_signed_tls_client_auth` (§2.2): no chain is checked; the certificate's public key is
///   one of the keys of the client's `jwks` / `jwks_uri` (§2.2.2).
///
/// The request names the client with `client_id` in the body (§2: a certificate alone does not
/// say which client it is) and carries no other credential. Every failure is `invalid_client`.
public struct MutualTLSVerifier: ClientAuthenticationVerifier {
    public static let supportedMethods: Set<ClientAuthenticationMethod> = [.tlsClientAuth, .selfSignedTLSClientAuth]

    private let keys: ClientKeyResolver

    public init(keys: ClientKeyResolver) {
        self.keys = keys
    }

    public var methods: Set<ClientAuthenticationMethod> { Self.supportedMethods }

    public func presents(_ presentation: RequestPresentation) -> Bool {
        presentation.clientCertificate != nil && presentation.credentials.mechanismCount == 0
    }

    public func claimedClientID(in presentation: RequestPresentation) throws -> String {
        guard let clientID = presentation.credentials.bodyClientID, !clientID.isEmpty else {
            throw OAuthError.invalidClient("client_id is required with mutual-TLS client authentication (RFC 8705 §2)")
        }
        return clientID
    }

    public func verify(_ presentation: RequestPresentation, for client: OAuthClient) async throws -> ClientAuthenticationMethod {
        guard let certificate = presentation.clientCertificate else { throw refusal(for: presentation) }
        var reasons: [String] = []
        if client.authMethods.contains(.tlsClientAuth) {
            if let problem = Self.pkiProblem(certificate, client: client) {
                reasons.append(problem)
            } else {
                return .tlsClientAuth
            }
        }
        if client.authMethods.contains(.selfSignedTLSClientAuth) {
            let registered = try await keys.keys(for: client, kid: nil)
            if !certificate.publicKeySPKI.isEmpty,
                registered.contains(where: { ConstantTimeComparison.equals($0.subjectPublicKeyInfo, certificate.publicKeySPKI) })
            {
                return .selfSignedTLSClientAuth
            }
            reasons.append("the certificate's key is not in the client's jwks")
        }
        var error = refusal(for: presentation)
        error.detail = "client \(client.clientID): " + reasons.joined(separator: "; ")
        throw error
    }

    public func refusal(for presentation: RequestPresentation) -> OAuthError {
        OAuthError.invalidClient()
    }

    /// Why the certificate does not authenticate the client by `tls_client_auth`, nil when it does.
    static func pkiProblem(_ certificate: PresentedCertificate, client: OAuthClient) -> String? {
        // RFC 8705 §7.1/§7.2: without a trusted chain anyone can mint a certificate with any name.
        guard certificate.chainsToTrustedCA else { return "the certificate does not chain to a configured client CA" }
        let names = certificate.subjectAlternativeNames
        if let expected = client.tlsClientAuthSubjectDN {
            guard let registered = DistinguishedName(expected), DistinguishedName(certificate.subjectDN) == registered else {
                return "subject DN \"\(certificate.subjectDN.prefix(200))\" is not the registered one"
            }
            return nil
        }
        if let expected = client.tlsClientAuthSANDNS {
            // DNS names compare case-insensitively (RFC 4343); no wildcard is expanded.
            return names.dnsNames.contains { $0.lowercased() == expected.lowercased() } ? nil : "no matching dNSName SAN"
        }
        if let expected = client.tlsClientAuthSANURI {
            return names.uris.contains(expected) ? nil : "no matching uniformResourceIdentifier SAN"
        }
        if let expected = client.tlsClientAuthSANIP {
            // Compared as addresses, not text: `::1` is `0:0:0:0:0:0:0:1` (RFC 8705 §2.1.2).
            guard let address = ClientAddress(expected) else { return "the registered tls_client_auth_san_ip is not an address" }
            return names.ipAddresses.contains { ClientAddress($0) == address } ? nil : "no matching iPAddress SAN"
        }
        if let expected = client.tlsClientAuthSANEmail {
            return names.emailAddresses.contains(expected) ? nil : "no matching rfc822Name SAN"
        }
        return "the client registered no tls_client_auth_* name"
    }
}
