/// Creates the first administrator client on the first start of a tenant, so that the admin
/// API can be reached with a token Custos issues itself ("eating our own cooking").
public struct AdminBootstrap: Sendable {
    public static let settingName = "bootstrap_admin_client"

    /// The credentials of a bootstrap client this call created; nil when one existed already.
    public struct Credentials: Sendable {
        public let clientID: String
        /// nil when the operator supplied the secret (it is theirs and already known to them).
        public let generatedSecret: String?
    }

    private let storage: any Storage
    private let management: ClientManagement
    private let tenant: TenantID

    public init(storage: any Storage, management: ClientManagement, tenant: TenantID) {
        self.storage = storage
        self.management = management
        self.tenant = tenant
    }

    /// - Parameters:
    ///   - clientID, secret: from `CUSTOS_BOOTSTRAP_ADMIN_CLIENT_ID`/`_SECRET`, or nil to generate.
    public func ensureAdminClient(clientID: String?, secret: String?) async throws -> Credentials? {
        // Claim the id first: when several nodes start together they agree on one client id.
        let proposed = clientID ?? ClientManagement.newClientID()
        var id = try await storage.setting(Self.settingName, tenant: tenant)
        if id == nil {
            id =
                try await storage.claimSetting(Self.settingName, value: proposed, tenant: tenant)
                ? proposed : try await storage.setting(Self.settingName, tenant: tenant)
        }
        guard let id else { return nil }
        // Creating the client is a separate step, retried at every start until it is done, so a
        // crash between the claim and the insert cannot leave the server without an administrator.
        if try await storage.client(clientID: id, tenant: tenant) != nil { return nil }
        let settings = ValidatedClient(
            metadata: ClientMetadata(
                name: "Custos bootstrap administrator",
                isConfidential: true,
                redirectURIs: [],
                grantTypes: [.clientCredentials],
                authMethods: [.clientSecretBasic, .clientSecretPost],
                scopes: [AdminTokenAuthenticator.requiredScope],
                corsOrigins: [],
                fapiProfile: .none,
                accessTokenFormat: .jwt
            ),
            status: .active
        )
        do {
            let created = try await management.insert(
                settings,
                clientID: id,
                secretValue: id == clientID ? secret : nil,
                action: "client.bootstrap",
                by: .system
            )
            return Credentials(clientID: id, generatedSecret: id == clientID && secret != nil ? nil : created.secret)
        } catch is StorageConflict {
            return nil  // another node created it a moment ago
        }
    }
}
