import CustosCore
import Foundation
import Hummingbird

/// Delivers an authorization response (RFC 6749 §4.1.2) to the client's redirect URI, in the
/// query or as an auto-submitted form (Form Post Response Mode), always with `iss`
/// (RFC 9207) and the exact `state`. Redirects are 303 after a POST, 302 after a GET; never
/// 307, which would re-post the user's form to the client (RFC 9700 §4.12).
enum AuthorizationResponseWriter {
    static func success(code: String, _ redirect: AuthorizationRedirect, afterPost: Bool) -> Response {
        deliver([("code", code)], redirect, afterPost: afterPost)
    }

    static func error(_ error: OAuthError, _ redirect: AuthorizationRedirect, afterPost: Bool) -> Response {
        var parameters = [("error", error.code.rawValue)]
        if let description = error.description { parameters.append(("error_description", OAuthError.wireDescription(description))) }
        return deliver(parameters, redirect, afterPost: afterPost)
    }

    private static func deliver(_ parameters: [(String, String)], _ redirect: AuthorizationRedirect, afterPost: Bool) -> Response {
        var parameters = parameters
        if let state = redirect.state { parameters.append(("state", state)) }
        parameters.append(("iss", redirect.issuer))
        switch redirect.responseMode {
        case .query:
            return Response(
                status: afterPost ? .seeOther : .found,
                headers: [.location: QueryEncoding.append(parameters, to: redirect.redirectURI), .cacheControl: "no-store"]
            )
        case .formPost:
            let inputs = parameters.map { "<input type=\"hidden\" name=\"\(escape($0.0))\" value=\"\(escape($0.1))\">" }.joined()
            let html = """
                <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Continue</title></head>
                <body onload="document.forms[0].submit()"><form method="post" action="\(escape(redirect.redirectURI))">\(inputs)
                <noscript><button type="submit">Continue</button></noscript></form></body></html>
                """
            return Response(
                status: .ok,
                headers: [
                    .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                    .init("Content-Security-Policy")!: "default-src 'none'; script-src 'unsafe-inline'; frame-ancestors 'none'",
                    .init("Referrer-Policy")!: "no-referrer",
                ],
                body: .init(byteBuffer: ByteBuffer(string: html))
            )
        }
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "'", with: "&#39;")
    }
}
