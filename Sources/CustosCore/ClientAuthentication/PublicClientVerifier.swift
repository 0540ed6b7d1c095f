/// `none` (RFC 7591 §2, OAuth 2.1 §2.1): a public client names itself with `client_id` and
/// proves nothing. Only a request that carries no credential of any kind has this shape: a
/// certificate is a credential too, so a request presenting one is never read as a public
/// client (it is refused unless a verifier for certificates is registered).
public struct PublicClientVerifier: ClientAuthenticationVerifier {
    public static let supportedMethods: Set<ClientAuthenticationMethod> = [.none]

    private let hasher: ClientSecretHasher

    public init(hasher: ClientSecretHasher) {
        self.hasher = hasher
    }

    public var methods: Set<ClientAuthenticationMethod> { Self.supportedMethods }

    public func presents(_ presentation: RequestPresentation) -> Bool {
        let presented = presentation.credentials
        return presented.mechanismCount == 0 && presented.bodyClientID != nil && presentation.clientCertificate == nil
    }

    public func claimedClientID(in presentation: RequestPresentation) throws -> String {
        guard let bodyID = presentation.credentials.bodyClientID else {
            throw OAuthError.invalidClient("client authentication is required")
        }
        return bodyID
    }

    public func verify(_ presentation: RequestPresentation, for client: OAuthClient) async throws -> ClientAuthenticationMethod {
        guard client.authMethods.contains(.none) else { throw refusal(for: presentation) }
        return .none
    }

    public func refusal(for presentation: RequestPresentation) -> OAuthError {
        // The same digest work as a refused secret, so an unknown client_id answers as fast.
        _ = hasher.matches("", digest: "")
        return OAuthError.invalidClient()
    }
}
