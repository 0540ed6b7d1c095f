import Foundation

/// The `claims` authorization request parameter (OpenID Connect Core §5.5): which individual
/// claims to return in the ID token and at UserInfo, beyond what the scopes release.
/// Essential and value requests are honoured as far as the user has the claim; Custos never
/// invents a value.
public struct ClaimsRequest: Sendable, Equatable, Codable {
    public var userinfo: Set<String>
    public var idToken: Set<String>

    public init(userinfo: Set<String> = [], idToken: Set<String> = []) {
        self.userinfo = userinfo
        self.idToken = idToken
    }

    enum CodingKeys: String, CodingKey {
        case userinfo
        case idToken = "id_token"
    }

    /// Parses the parameter's JSON; nil with a reason when it is malformed.
    public static func parse(_ text: String) -> Result<ClaimsRequest, OAuthError> {
        guard text.utf8.count <= 8 * 1024, let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        else { return .failure(OAuthError.invalidRequest("claims must be a JSON object")) }
        var request = ClaimsRequest()
        for (member, value) in object {
            guard member == "userinfo" || member == "id_token" else { continue }
            guard let claims = value as? [String: Any] else {
                return .failure(OAuthError.invalidRequest("claims.\(member) must be a JSON object"))
            }
            for (name, detail) in claims {
                guard detail is NSNull || detail is [String: Any] else {
                    return .failure(OAuthError.invalidRequest("claims.\(member).\(name) must be null or an object"))
                }
            }
            if member == "userinfo" { request.userinfo = Set(claims.keys) } else { request.idToken = Set(claims.keys) }
        }
        return .success(request)
    }
}
