import Foundation

/// Matches a redirect URI presented in an authorization request against the registered ones
/// (pinned rule 4; RFC 9700 §4.1.3): exact string comparison, with one exception from
/// RFC 8252 §7.3 — for public native clients, a loopback IP literal matches on any port.
public enum RedirectURIMatcher {
    public static func matches(_ presented: String, registered: [String], isPublicClient: Bool) -> Bool {
        if registered.contains(presented) { return true }
        guard isPublicClient, let candidate = withoutLoopbackPort(presented) else { return false }
        return registered.contains { withoutLoopbackPort($0) == candidate }
    }

    /// `http://127.0.0.1:PORT/path` → `http://127.0.0.1/path` (also `[::1]`); nil for other URIs.
    static func withoutLoopbackPort(_ uri: String) -> String? {
        guard var components = URLComponents(string: uri), components.scheme == "http",
            let host = components.host, host == "127.0.0.1" || host == "[::1]" || host == "::1"
        else { return nil }
        components.port = nil
        return components.string
    }
}
