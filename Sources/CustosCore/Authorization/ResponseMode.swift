/// How the authorization response travels back (OAuth 2.0 Multiple Response Types §2.1,
/// Form Post Response Mode). `fragment` is not offered: only `code` is, and OAuth 2.1 keeps
/// it in the query.
public enum ResponseMode: String, Sendable, CaseIterable {
    case query
    case formPost = "form_post"
}
