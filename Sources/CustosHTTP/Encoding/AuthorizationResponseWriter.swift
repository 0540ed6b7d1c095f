import CustosCore
import Foundation
import Hummingbird

/// Delivers an authorization response (RFC 6749 §4.1.2) to the client's redirect URI exactly
/// as `AuthorizationEndpoint` made it (`AuthorizationRedirect.parameters`: with `iss`,
/// RFC 9207, and the exact `state`, or JARM's one `response` JWT): in the query, in the
/// fragment (the hybrid flow, OpenID Connect Core §3.3.2.5) or as an auto-submitted form
/// (Form Post Response Mode). Redirects are 303 after a POST, 302 after a GET; never 307,
/// which would re-post the user's form to the client (RFC 9700 §4.12).
enum AuthorizationResponseWriter {
    static func deliver(_ redirect: AuthorizationRedirect, afterPost: Bool) -> Response {
        let parameters = redirect.parameters.map { ($0.name, $0.value) }
        switch redirect.responseMode.delivery {
        case .query:
            return Response(
                status: afterPost ? .seeOther : .found,
                headers: [.location: QueryEncoding.append(parameters, to: redirect.redirectURI), .cacheControl: "no-store"]
            )
        case .fragment:
            // Registered redirect URIs carry no fragment (RFC 6749 §3.1.2), so this one is ours.
            return Response(
                status: afterPost ? .seeOther : .found,
                headers: [.location: redirect.redirectURI + "#" + QueryEncoding.encode(parameters), .cacheControl: "no-store"]
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
