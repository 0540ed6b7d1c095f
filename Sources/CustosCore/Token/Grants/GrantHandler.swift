/// One grant type of the token endpoint. Each grant names the parameters it reads; the
/// endpoint strips all others before calling it, and builds the tokens' binding beforehand
/// (`GrantContext`), so a grant issues through `GrantContext.issuance` and never decides it.
public protocol GrantHandler: Sendable {
    static var grantType: GrantType { get }
    static var parameters: Set<String> { get }
    func handle(_ request: TokenRequest, context: GrantContext) async throws -> TokenResponse
}
