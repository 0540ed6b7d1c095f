import Foundation

/// Decides who the calling client is, with the algorithm of node-oidc-provider's
/// `lib/shared/client_auth.js`. The steps, in order:
/// 1. refuse more than one mechanism in a request (RFC 6749 §2.3);
/// 2. find the verifier whose shape the request has (`ClientAuthenticationVerifier.presents`);
/// 3. load the client it claims, refusing unknown, deleted and suspended ones alike;
/// 4. refuse a client that registered none of that verifier's methods;
/// 5. let the verifier check the credentials, and refuse a method the client did not register.
/// Every failure is the same `invalid_client`, so the answer tells an attacker nothing.
public struct ClientAuthenticator: Sendable {
    /// The methods of the verifiers `AuthorizationServer` registers.
    public static let standardMethods: Set<ClientAuthenticationMethod> = ClientSecretVerifier.supportedMethods
        .union(ClientAssertionVerifier.supportedMethods)
        .union(PublicClientVerifier.supportedMethods)
        .union(MutualTLSVerifier.supportedMethods)

    private let cache: ClientCache
    private let verifiers: [any ClientAuthenticationVerifier]
    private let tenant: TenantID
    private let throttle: ClientAuthenticationThrottle?

    public init(
        cache: ClientCache,
        verifiers: [any ClientAuthenticationVerifier],
        tenant: TenantID,
        throttle: ClientAuthenticationThrottle? = nil
    ) {
        self.cache = cache
        self.verifiers = verifiers
        self.tenant = tenant
        self.throttle = throttle
    }

    /// Every method some verifier proves, in the order of `ClientAuthenticationMethod`
    /// (discovery lists them so; registration accepts only these).
    public var supportedMethods: [ClientAuthenticationMethod] {
        ClientAuthenticationMethod.allCases.filter { method in verifiers.contains { $0.methods.contains(method) } }
    }

    /// Authenticates the client, throttled per (claimed client_id, `source`): throws
    /// `RateLimited` without checking anything when that pair failed too often recently.
    public func authenticate(_ presentation: RequestPresentation, source: ClientAddress) async throws -> AuthenticatedClient {
        guard let throttle else { return try await authenticate(presentation) }
        let claimedID = presentation.credentials.claimedClientID ?? ""
        try throttle.check(clientID: claimedID, source: source)
        do {
            return try await authenticate(presentation)
        } catch let error as OAuthError where error.code == .invalidClient {
            try await throttle.recordFailure(clientID: claimedID, source: source)
            throw error
        }
    }

    private func authenticate(_ presentation: RequestPresentation) async throws -> AuthenticatedClient {
        guard presentation.credentials.mechanismCount <= 1 else {
            throw OAuthError.invalidRequest("use only one client authentication method per request")
        }
        let candidates = verifiers.filter { $0.presents(presentation) }
        guard candidates.count <= 1 else {
            throw OAuthError.invalidRequest("use only one client authentication method per request")
        }
        // No verifier reads what was sent: nothing at all, or only a credential this server
        // has no verifier for (a certificate before mutual TLS is supported).
        guard let verifier = candidates.first else { throw OAuthError.invalidClient("client authentication is required") }
        let clientID = try verifier.claimedClientID(in: presentation)
        // One public answer for every reason (the client cannot tell an unknown id from a
        // suspended client); the reason goes to the log only (`OAuthError.detail`).
        func refused(_ detail: String) -> OAuthError {
            var error = verifier.refusal(for: presentation)
            error.detail = detail
            return error
        }
        guard let client = try await cache.client(clientID: clientID, tenant: tenant) else {
            throw refused("no client \"\(clientID.prefix(80))\"")
        }
        guard client.status == .active else { throw refused("client \(client.clientID) is \(client.status.rawValue)") }
        guard !verifier.methods.isDisjoint(with: client.authMethods) else {
            throw refused("client \(client.clientID) did not register \(verifier.methods.map(\.rawValue).sorted().joined(separator: " or "))")
        }
        let method = try await verifier.verify(presentation, for: client)
        // The verifier checks this itself; a verifier that forgot must not let a client in
        // by a method it did not register.
        guard client.authMethods.contains(method), verifier.methods.contains(method) else { throw verifier.refusal(for: presentation) }
        return AuthenticatedClient(client: client, method: method)
    }
}
