import Foundation

/// Which redirect URIs may be registered, and how a presented one matches a registered one.
///
/// Pinned rule 4: exact string matching, `http` only on loopback, no fragments (RFC 6749
/// §3.1.2), no script-bearing schemes, no wildcards (RFC 9700 §4.1.3).
///
/// `http` is for native apps (public clients) and only on loopback IP literals: `localhost`
/// is refused (OAuth 2.1 §8.4.2, RFC 8252 §8.3), since a name can resolve elsewhere or be
/// answered by another listener. A confidential client runs on a server and registers
/// `https` only, unless the operator allows loopback `http` for development and tests.
public enum RedirectURIPolicy {
    public static let maximumCount = 50
    public static let maximumLength = 2048
    private static let forbiddenSchemes: Set<String> = ["javascript", "data", "vbscript", "file"]
    /// Loopback IP literals only; `localhost` is a name, not a loopback address.
    static let loopbackHosts: Set<String> = ["127.0.0.1", "[::1]", "::1"]

    /// Returns why `uri` cannot be registered, or nil when it can.
    /// - Parameter allowsConfidentialLoopbackHTTP: `CUSTOS_ALLOW_LOOPBACK_HTTP_REDIRECTS=1`:
    ///   confidential clients may also use `http` on loopback IP literals.
    public static func registrationProblem(
        _ uri: String,
        isConfidential: Bool,
        allowsConfidentialLoopbackHTTP: Bool = false
    ) -> String? {
        guard !uri.isEmpty else { return "must not be empty" }
        guard uri.utf8.count <= maximumLength else { return "is longer than \(maximumLength) characters" }
        // URIs are ASCII without spaces or controls (RFC 3986 §2); anything else is a disguise.
        guard uri.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            return "must be an absolute URI without spaces or control characters"
        }
        guard let scheme = scheme(of: uri) else { return "must be an absolute URI" }
        if forbiddenSchemes.contains(scheme) { return "uses the forbidden scheme \(scheme):" }
        if uri.contains("#") { return "must not contain a fragment" }
        if uri.contains("*") { return "must not contain wildcards" }
        guard let components = URLComponents(string: uri) else { return "must be an absolute URI" }

        if scheme == "http" || scheme == "https" {
            guard uri.dropFirst(scheme.count + 1).hasPrefix("//"),
                let host = components.host, !host.isEmpty
            else { return "must be an absolute URI with a host" }
            if components.user != nil || components.password != nil {
                return "must not contain user information"
            }
            if scheme == "http" && !isLoopback(host: host) {
                return host.lowercased() == "localhost"
                    ? "must not use localhost; use the loopback IP literal 127.0.0.1 or [::1] (OAuth 2.1 §8.4.2)"
                    : "may use http only on a loopback IP literal (127.0.0.1 or [::1])"
            }
            if scheme == "http" && isConfidential && !allowsConfidentialLoopbackHTTP {
                return "a confidential client must use https; http on loopback is for public native clients only"
            }
            return nil
        }
        // Private-use schemes are for native apps (RFC 8252 §7.1): reverse-DNS, so they contain
        // a dot (OAuth 2.1 §2.3.1), and only public clients run on the user's device.
        guard scheme.contains(".") else {
            return "private-use scheme \(scheme): must be a reverse domain name containing a dot"
        }
        guard !isConfidential else {
            return "private-use schemes are allowed only for public (native) clients"
        }
        return nil
    }

    /// The lowercased scheme, or nil when `uri` does not start with one (RFC 3986 §3.1).
    static func scheme(of uri: String) -> String? {
        guard let colon = uri.firstIndex(of: ":") else { return nil }
        let scheme = uri[..<colon]
        guard let first = scheme.unicodeScalars.first, first.isASCIILetter,
            scheme.unicodeScalars.allSatisfy({ $0.isASCIILetter || ("0"..."9").contains($0) || "+-.".unicodeScalars.contains($0) })
        else { return nil }
        return scheme.lowercased()
    }

    static func isLoopback(host: String) -> Bool {
        loopbackHosts.contains(host.lowercased())
    }

    /// The web origin (`scheme://host[:port]`) of an http(s) URI, used to derive CORS origins.
    public static func origin(of uri: String) -> String? {
        guard let components = URLComponents(string: uri),
            let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = components.host?.lowercased(), !host.isEmpty
        else { return nil }
        var origin = "\(scheme)://\(host)"
        if let port = components.port, !(scheme == "https" && port == 443), !(scheme == "http" && port == 80) {
            origin += ":\(port)"
        }
        return origin
    }
}

extension Unicode.Scalar {
    var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
}
