import Foundation
import Logging

/// The facade the HTTP layer and the CLI talk to: built once from configuration, a storage
/// backend and the master key, it holds every service with its dependencies wired.
public struct AuthorizationServer: Sendable {
    public let configuration: ServerConfiguration
    public let storage: any Storage
    public let clock: any WallClock
    public let keys: SigningKeySet
    public let clients: ClientManagement
    public let clientAuthenticator: ClientAuthenticator
    public let tokenEndpoint: TokenEndpoint
    public let adminAuthenticator: AdminTokenAuthenticator
    public let bootstrap: AdminBootstrap

    public init(configuration: ServerConfiguration, storage: any Storage, masterKey: MasterKey, clock: any WallClock = SystemClock()) {
        self.configuration = configuration
        self.storage = storage
        self.clock = clock
        let hasher = ClientSecretHasher(key: masterKey.derive(purpose: "client-secret-digest"))
        keys = SigningKeySet(store: storage, sealer: KeySealer(masterKey: masterKey), tenant: configuration.tenant, clock: clock)
        clients = ClientManagement(storage: storage, hasher: hasher, configuration: configuration, clock: clock)
        clientAuthenticator = ClientAuthenticator(
            clients: storage, secrets: storage, hasher: hasher, tenant: configuration.tenant, clock: clock)
        let issuer = TokenIssuer(configuration: configuration, keys: keys, tokens: storage, clock: clock)
        tokenEndpoint = TokenEndpoint(handlers: [ClientCredentialsGrant(issuer: issuer)])
        adminAuthenticator = AdminTokenAuthenticator(
            verifier: JWTVerifier(keys: keys), tokens: storage, clients: storage, configuration: configuration, clock: clock)
        bootstrap = AdminBootstrap(storage: storage, management: clients, tenant: configuration.tenant)
    }

    /// Everything a node does before it answers requests: schema, first signing key.
    public func prepare(logger: Logger) async throws {
        try await storage.migrate()
        try await keys.ensureKey(algorithm: configuration.signingAlgorithm, logger: logger)
    }
}
