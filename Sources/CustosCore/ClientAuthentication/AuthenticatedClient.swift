/// A client whose credentials were checked in this request, and how.
public struct AuthenticatedClient: Sendable {
    public let client: OAuthClient
    public let method: ClientAuthenticationMethod

    public init(client: OAuthClient, method: ClientAuthenticationMethod) {
        self.client = client
        self.method = method
    }
}
