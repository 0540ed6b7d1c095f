/// Small named facts the server keeps about itself (e.g. that the bootstrap admin client exists).
public protocol SettingsStore: Sendable {
    func setting(_ name: String, tenant: TenantID) async throws -> String?
    /// Stores the value only if the name is unset; true when this call set it.
    func claimSetting(_ name: String, value: String, tenant: TenantID) async throws -> Bool
}
