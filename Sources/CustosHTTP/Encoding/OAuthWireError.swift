import CustosCore

/// Errors found while reading a protocol request, before the core sees it.
enum OAuthWireError: Error {
    case invalidRequest(String)

    var oauthError: OAuthError {
        switch self {
        case .invalidRequest(let description): OAuthError.invalidRequest(description)
        }
    }
}
