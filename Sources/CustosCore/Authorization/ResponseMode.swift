/// How the authorization response travels back (OAuth 2.0 Multiple Response Types §2.1,
/// Form Post Response Mode, JARM §2.3). `fragment` serves the hybrid flow only
/// (`code id_token`): OAuth 2.1 keeps a plain `code` response in the query. The `.jwt` modes
/// (JARM) carry the response parameters as one signed JWT in `response`; `jwt` is JARM's
/// shortcut for the response type's default, resolved by `resolved(frontChannelToken:)`.
public enum ResponseMode: String, Sendable, CaseIterable {
    case query
    case fragment
    case formPost = "form_post"
    case jwt
    case queryJWT = "query.jwt"
    case fragmentJWT = "fragment.jwt"
    case formPostJWT = "form_post.jwt"

    /// Where the parameters (or the one `response` JWT) go.
    public enum Delivery: Sendable, Equatable {
        case query
        case fragment
        case formPost
    }

    /// Whether the parameters are wrapped in a signed JWT (JARM).
    public var isJWT: Bool {
        switch self {
        case .query, .fragment, .formPost: false
        case .jwt, .queryJWT, .fragmentJWT, .formPostJWT: true
        }
    }

    /// JARM §2.3.4: `jwt` is `query.jwt` for `response_type=code` and `fragment.jwt` for a
    /// response type with a token in the front channel (`code id_token`).
    public func resolved(frontChannelToken: Bool) -> ResponseMode {
        guard self == .jwt else { return self }
        return frontChannelToken ? .fragmentJWT : .queryJWT
    }

    /// The same delivery with the parameters wrapped in a JWT (JARM) or not.
    public func withJWT(_ wrapped: Bool) -> ResponseMode {
        switch (delivery, wrapped) {
        case (.query, false): .query
        case (.fragment, false): .fragment
        case (.formPost, false): .formPost
        case (.query, true): .queryJWT
        case (.fragment, true): .fragmentJWT
        case (.formPost, true): .formPostJWT
        }
    }

    /// Where a resolved mode delivers; the unresolved `jwt` reads as `query.jwt`.
    public var delivery: Delivery {
        switch self {
        case .query, .jwt, .queryJWT: .query
        case .fragment, .fragmentJWT: .fragment
        case .formPost, .formPostJWT: .formPost
        }
    }
}
