// TEMPORARY until the client-policy branch lands (it adds first_party to the admin API).
extension OAuthClient {
    public var isFirstParty: Bool { false }
}
