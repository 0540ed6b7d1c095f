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

    /// The claims about the user asked for (those a scope releases, OpenID Connect Core §5.4),
    /// in either member: what the consent page names and the consent must cover.
    public var userClaims: Set<String> {
        idToken.union(userinfo).intersection(ClaimsProvider.userClaimNames)
    }

    /// The request without the user claims the client may not be given: a claim about the
    /// user is released only if it belongs to a scope the client may have (and then only
    /// once the user approved it). Protocol claims (`acr`, `auth_time`, …) stay.
    public func restricted(toScopes allowedScopes: [String]) -> ClaimsRequest {
        let releasable = Set(allowedScopes.flatMap { ClaimsProvider.claimsByScope[$0] ?? [] })
        func keep(_ name: String) -> Bool {
            ClaimsProvider.userClaimNames.contains(name) ? releasable.contains(name) : ClaimsProvider.supportedClaims.contains(name)
        }
        return ClaimsRequest(userinfo: userinfo.filter(keep), idToken: idToken.filter(keep))
    }

    public var isEmpty: Bool { userinfo.isEmpty && idToken.isEmpty }
}
