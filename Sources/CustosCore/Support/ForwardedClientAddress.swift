/// Which address a request comes from, given the TCP peer and the `X-Forwarded-For` header.
///
/// `X-Forwarded-For` is written by whoever sent the request, so it is believed only when the
/// peer is a proxy the operator listed (`CUSTOS_TRUSTED_PROXIES`). Each proxy appends the
/// address it received the request from, so the entries to the right are the trustworthy
/// ones: walking from the right, every entry that is itself a trusted proxy is skipped, and
/// the first that is not is the client. Anything a client put at the left is never reached.
/// An entry that is not an IP literal stops the walk at the last address known good (the
/// peer or the trusted proxy before it): a malformed header never yields a made-up address.
public struct ForwardedClientAddress: Sendable {
    public let trustedProxies: [AddressRange]

    public init(trustedProxies: [AddressRange]) {
        self.trustedProxies = trustedProxies
    }

    public func isTrusted(_ address: ClientAddress) -> Bool {
        trustedProxies.contains { $0.contains(address) }
    }

    /// - Parameter forwardedFor: every `X-Forwarded-For` field value, in order (several
    ///   fields are one comma-separated list, RFC 9110 §5.3).
    public func resolve(peer: ClientAddress, forwardedFor: [String]) -> ClientAddress {
        guard isTrusted(peer), !forwardedFor.isEmpty else { return peer }
        let entries = forwardedFor.flatMap { $0.split(separator: ",") }
        var client = peer
        for entry in entries.reversed() {
            guard let address = ClientAddress(entry), address.isIPv4 || address.isIPv6 else { return client }
            client = address
            if !isTrusted(address) { return address }
        }
        return client
    }
}
