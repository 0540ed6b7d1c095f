import Foundation

/// Where Custos may send requests on a client's behalf (jwks_uri, request_uri,
/// sector_identifier_uri, back-channel logout): only to ordinary public addresses, unless the
/// operator allows private ones (`CUSTOS_ALLOW_PRIVATE_FETCH=1`, development and tests).
///
/// The same policy runs twice: at registration on the URL's host (a special-use literal
/// such as `https://127.1/`, `https://[::ffff:10.0.0.1]/` or `https://localhost/` is refused
/// there already, with the field named), and at fetch time on every address the name
/// resolves to, right before connecting to one of exactly those addresses, so that a name
/// that resolves differently the second time (DNS rebinding) cannot slip through.
public struct OutboundAddressPolicy: Sendable, Equatable {
    public var allowsPrivateAddresses: Bool

    public init(allowsPrivateAddresses: Bool = false) {
        self.allowsPrivateAddresses = allowsPrivateAddresses
    }

    /// Why a connection to `address` is refused, or nil when it is allowed.
    public func refusal(of address: IPAddress) -> String? {
        allowsPrivateAddresses ? nil : SpecialPurposeAddresses.classify(address)
    }

    /// The host of `url` as the HTTP client reads it (`URL.host`, brackets removed): the name
    /// that is resolved and checked must be the name that is connected to.
    public static func host(of url: String) -> String? {
        guard let host = URL(string: url)?.host, !host.isEmpty else { return nil }
        return host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
    }

    /// Whether `host` is something a resolver reads unambiguously: an IP literal, or a name of
    /// letters, digits, hyphens and dots. Anything else (percent-encoding, underscores,
    /// Unicode) might be read one way by the check and another by the resolver.
    public static func isPlainHost(_ host: String) -> Bool {
        if IPAddress(host: host) != nil { return true }
        return host.utf8.count <= 253
            && host.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) || $0 == 0x2D || $0 == 0x2E }
    }

    /// Names that resolve to loopback by definition (RFC 6761 §6.3: `localhost` and every name
    /// under `.localhost`), whatever DNS says.
    public static func isLoopbackName(_ host: String) -> Bool {
        var name = host.lowercased()
        if name.hasSuffix(".") { name.removeLast() }
        return name == "localhost" || name.hasSuffix(".localhost")
    }

    /// The registration-time check of a URL field Custos will fetch or post to: nil when the
    /// URL's host is acceptable, or the problem. Only the literal is judged here (names are
    /// resolved at fetch time).
    public func registrationProblem(_ url: String) -> String? {
        guard let host = Self.host(of: url) else { return nil }
        guard Self.isPlainHost(host) else { return "the host must be a DNS name or an IP address" }
        if allowsPrivateAddresses { return nil }
        if Self.isLoopbackName(host) { return "must not point to a special-use address (localhost)" }
        if let address = IPAddress(host: host), let reason = SpecialPurposeAddresses.classify(address) {
            return "must not point to a special-use address (\(address): \(reason))"
        }
        return nil
    }
}
