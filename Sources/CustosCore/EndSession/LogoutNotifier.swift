/// Delivers logout tokens to clients' `backchannel_logout_uri`s. Implementations must not
/// block the user's logout: they send in the background, with retries and a timeout.
public protocol LogoutNotifier: Sendable {
    func deliver(logoutToken: String, to uri: String)
}

/// For deployments and tests without outbound delivery.
public struct DiscardingLogoutNotifier: LogoutNotifier {
    public init() {}
    public func deliver(logoutToken: String, to uri: String) {}
}
