import Crypto
import Foundation

/// Double-submit CSRF protection for the server's forms: the browser holds a random value in
/// an HttpOnly cookie, and each form carries HMAC(key, value). A cross-site page can make the
/// browser send the cookie but cannot read it, so it cannot produce the form token.
public struct CSRFProtection: Sendable {
    private let key: SymmetricKey

    public init(key: SymmetricKey) {
        self.key = key
    }

    public func newCookieValue() -> String {
        Base64URL.encode(SecureRandom.bytes(32))
    }

    public func formToken(for cookieValue: String) -> String {
        Base64URL.encode(HMAC<SHA256>.authenticationCode(for: Data(cookieValue.utf8), using: key))
    }

    public func isValid(formToken: String?, cookieValue: String?) -> Bool {
        guard let formToken, let cookieValue, !cookieValue.isEmpty, let code = Base64URL.decode(formToken) else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(code, authenticating: Data(cookieValue.utf8), using: key)
    }
}
