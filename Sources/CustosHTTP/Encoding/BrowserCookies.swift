import CustosCore
import Foundation
import Hummingbird

/// The cookies of the browser-facing pages. Both are HttpOnly and SameSite=Lax (a top-level
/// navigation from a client's site, as in the authorization flow, still carries them), and
/// Secure whenever the issuer is https.
struct BrowserCookies: Sendable {
    static let session = "custos_session"
    static let csrf = "custos_csrf"

    let secure: Bool
    let path: String

    init(issuer: String, apiPrefix: String) {
        self.secure = issuer.lowercased().hasPrefix("https://")
        self.path = apiPrefix.isEmpty ? "/" : apiPrefix
    }

    func make(_ name: String, value: String, maxAge: Int? = nil) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: path, secure: secure, httpOnly: true, sameSite: .lax)
    }

    func expired(_ name: String) -> Cookie {
        Cookie(name: name, value: "", maxAge: 0, path: path, secure: secure, httpOnly: true, sameSite: .lax)
    }

    /// A cookie value only if it is made of the base64url characters we issue.
    static func value(_ name: String, in request: Request) -> String? {
        guard let value = request.cookies[name]?.value, !value.isEmpty, value.utf8.count <= 128,
            value.unicodeScalars.allSatisfy({
                $0.properties.isASCIIHexDigit || ("g"..."z").contains($0) || ("G"..."Z").contains($0) || $0 == "-" || $0 == "_"
            })
        else { return nil }
        return value
    }
}
