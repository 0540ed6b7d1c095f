/// Every record belongs to a tenant. Custos serves one tenant, `default`, today; carrying the id
/// everywhere now means multi-tenancy later needs no change to the data model.
public struct TenantID: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public static let `default` = TenantID(rawValue: "default")
    public var description: String { rawValue }
}
