import Crypto
import Foundation

/// The `sub` a client sees (OpenID Connect Core §8): the user id for `public` clients; for
/// `pairwise` ones, SHA-256 over the sector identifier, the user id and a server secret
/// (§8.1), so two sectors cannot correlate a user and one sector always sees the same value.
public struct SubjectIdentifier: Sendable {
    private let salt: SymmetricKey

    public init(salt: SymmetricKey) {
        self.salt = salt
    }

    public func subject(for userID: String, client: OAuthClient) -> String {
        guard client.openID.usesPairwiseSubjects else { return userID }
        let input = Data((Self.sector(of: client) + "\u{0}" + userID).utf8)
        return Base64URL.encode(HMAC<SHA256>.authenticationCode(for: input, using: salt))
    }

    /// The host of `sector_identifier_uri`, else of the redirect URIs (which registration
    /// requires to share one host for pairwise clients without a sector identifier).
    public static func sector(of client: OAuthClient) -> String {
        if let uri = client.openID.sectorIdentifierURI, let host = URLComponents(string: uri)?.host { return host.lowercased() }
        return client.redirectURIs.compactMap { URLComponents(string: $0)?.host?.lowercased() }.first ?? client.clientID
    }
}
