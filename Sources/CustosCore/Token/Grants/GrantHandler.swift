/// One grant type of the token endpoint. Each grant names the parameters it reads; the
/// endpoint strips all others before calling it.
public protocol GrantHandler: Sendable {
    static var grantType: GrantType { get }
    static var parameters: Set<String> { get }
    func handle(_ request: TokenRequest, client: AuthenticatedClient) async throws -> TokenResponse
}
