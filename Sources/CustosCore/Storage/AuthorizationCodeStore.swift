import Foundation

public protocol AuthorizationCodeStore: Sendable {
    func insert(_ code: AuthorizationCode) async throws
    func code(digest: String, tenant: TenantID) async throws -> AuthorizationCode?
    /// Marks the code consumed and stores the tokens minted for it, in one transaction. Must
    /// succeed at most once per code, across every node: true for the one caller that
    /// consumed it; false for all others, which store nothing.
    func redeem(digest: String, tenant: TenantID, at date: Date, tokens: [IssuedToken]) async throws -> Bool
}

/// Remembers values that may be used once (client-assertion `jti`s) until they expire.
public protocol ReplayCache: Sendable {
    /// True the first time `key` is seen (across every node), false on every later call
    /// before `expiresAt`.
    func firstUse(of key: String, tenant: TenantID, expiresAt: Date, now: Date) async throws -> Bool
}
