import ArgumentParser
import CustosCore
import CustosHTTP
import CustosStorage
import Foundation
import HTTPTypes
import Logging

/// Options every subcommand shares; each falls back to its `CUSTOS_*` environment variable.
struct RuntimeOptions: ParsableArguments {
    @Option(help: "sqlite:PATH, sqlite::memory: or postgres://user:pass@host:port/db (env CUSTOS_DATABASE).")
    var database: String?

    @Option(help: "Public base URL and issuer identifier (env CUSTOS_ISSUER). Default http://HOST:PORT.")
    var issuer: String?

    @Option(help: "Log level: trace, debug, info, notice, warning, error (env CUSTOS_LOG_LEVEL).")
    var logLevel: String?

    var environment: [String: String] { ProcessInfo.processInfo.environment }

    func value(_ option: String?, _ variable: String) -> String? {
        option ?? environment[variable].flatMap { $0.isEmpty ? nil : $0 }
    }

    var location: StorageLocation {
        get throws {
            let text = value(database, "CUSTOS_DATABASE") ?? "sqlite:custos.db"
            guard let location = StorageLocation(text) else {
                throw ValidationError("--database must be sqlite:PATH, sqlite::memory: or a postgres:// URL")
            }
            return location
        }
    }

    func makeLogger(label: String = "custos") -> Logger {
        let level = value(logLevel, "CUSTOS_LOG_LEVEL").flatMap(Logger.Level.init(rawValue:)) ?? .info
        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
        var logger = Logger(label: label)
        logger.logLevel = level
        return logger
    }

    func serverConfiguration(defaultIssuer: String) throws -> ServerConfiguration {
        var configuration = ServerConfiguration(issuer: value(issuer, "CUSTOS_ISSUER") ?? defaultIssuer)
        if let scopes = environment["CUSTOS_SCOPES"] {
            // A catalog for display and discovery (rule 3), not a limit on the admin API.
            configuration.additionalScopes = scopes.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
            if let scope = configuration.additionalScopes.first(where: { ScopeRegistry().registrationProblem($0, firstParty: false) != nil }) {
                throw ValidationError("CUSTOS_SCOPES: \"\(scope)\" is malformed or reserved (admin, account)")
            }
        }
        if let types = environment["CUSTOS_AUTHORIZATION_DETAILS_TYPES"] {
            // RFC 9396 §10: listed in discovery beside the types clients registered.
            let listed = types.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
            for type in listed {
                if let problem = ClientMetadataValidator.authorizationDetailsTypeProblem(type) {
                    throw ValidationError("CUSTOS_AUTHORIZATION_DETAILS_TYPES: \"\(type)\" \(problem)")
                }
            }
            var seen = Set<String>()
            configuration.authorizationDetailsTypes = listed.filter { seen.insert($0).inserted }
        }
        if let name = environment["CUSTOS_SIGNING_ALG"] {
            guard let algorithm = SigningAlgorithm(rawValue: name) else {
                throw ValidationError("CUSTOS_SIGNING_ALG must be one of ES256, RS256, PS256, EdDSA")
            }
            configuration.signingAlgorithm = algorithm
        }
        if let ttl = environment["CUSTOS_ACCESS_TOKEN_TTL"] {
            guard let seconds = TimeInterval(ttl), seconds >= 30 else {
                throw ValidationError("CUSTOS_ACCESS_TOKEN_TTL must be a number of seconds, at least 30")
            }
            configuration.accessTokenLifetime = seconds
        }
        if let ttl = environment["CUSTOS_REFRESH_TOKEN_TTL"] {
            guard let seconds = TimeInterval(ttl), seconds >= 60 else {
                throw ValidationError("CUSTOS_REFRESH_TOKEN_TTL must be a number of seconds, at least 60")
            }
            configuration.refreshTokenLifetime = seconds
        }
        switch environment["CUSTOS_REGISTRATION"] ?? "open" {
        case "open": break
        case "off": configuration.dynamicRegistration.enabled = false
        case "token":
            // Registration needs an initial access token: the static one (standard OpenID
            // scopes only) and/or the administrator's registration tokens, each with its policy.
            configuration.dynamicRegistration.requiresInitialAccessToken = true
            if let token = environment["CUSTOS_REGISTRATION_INITIAL_TOKEN"], !token.isEmpty {
                guard token.count >= 16 else {
                    throw ValidationError("CUSTOS_REGISTRATION_INITIAL_TOKEN must have 16 characters or more")
                }
                configuration.dynamicRegistration.initialAccessToken = token
            }
        default: throw ValidationError("CUSTOS_REGISTRATION must be open, off or token")
        }
        configuration.allowsLoopbackHTTPLogout = try flag("CUSTOS_ALLOW_PRIVATE_FETCH")
        configuration.allowsPrivateFetch = try flag("CUSTOS_ALLOW_PRIVATE_FETCH")
        configuration.allowsLoopbackHTTPRedirects = try flag("CUSTOS_ALLOW_LOOPBACK_HTTP_REDIRECTS")
        configuration.requiresPushedAuthorizationRequests = try flag("CUSTOS_REQUIRE_PAR")
        if let text = value(nil, "CUSTOS_DPOP_NONCE") {
            guard let policy = DPoPNoncePolicy(rawValue: text) else {
                throw ValidationError("CUSTOS_DPOP_NONCE must be optional or required")
            }
            configuration.dpopNonce = policy
        }
        if let seconds = try number("CUSTOS_CLIENT_CACHE_TTL", atLeast: 0) {
            configuration.clientCacheLifetime = seconds
        }
        if let seconds = try number("CUSTOS_KEY_REFRESH_INTERVAL", atLeast: 1) {
            configuration.keyRefreshInterval = seconds
        }
        let window = try number("CUSTOS_RATE_LIMIT_WINDOW", atLeast: 1) ?? 60
        configuration.rateLimits.tokenPerClient.window = window
        configuration.rateLimits.loginPerIP.window = window
        if let limit = try number("CUSTOS_RATE_LIMIT_TOKEN_PER_CLIENT", atLeast: 0) {
            configuration.rateLimits.tokenPerClient.limit = Int(limit)
        }
        if let limit = try number("CUSTOS_RATE_LIMIT_LOGIN_PER_IP", atLeast: 0) {
            configuration.rateLimits.loginPerIP.limit = Int(limit)
        }
        if let threads = try number("CUSTOS_PASSWORD_HASH_THREADS", atLeast: 1) {
            configuration.passwordHashingThreads = Int(threads)
        }
        if let queue = try number("CUSTOS_PASSWORD_HASH_QUEUE", atLeast: 0) {
            configuration.passwordHashingQueueLimit = Int(queue)
        }
        if let limit = environment["CUSTOS_REGISTRATIONS_PER_HOUR"] {
            guard let value = Int(limit), value > 0 else { throw ValidationError("CUSTOS_REGISTRATIONS_PER_HOUR must be a positive integer") }
            configuration.dynamicRegistration.registrationsPerHourPerIP = value
        }
        return configuration
    }

    /// `CUSTOS_TRUSTED_PROXIES`: the reverse proxies whose `X-Forwarded-For` is believed
    /// (comma-separated addresses or CIDR ranges). Unset: none, the TCP peer is the client.
    func trustedProxies() throws -> [AddressRange] {
        guard let text = value(nil, "CUSTOS_TRUSTED_PROXIES") else { return [] }
        do { return try AddressRange.list(text) } catch { throw ValidationError("CUSTOS_TRUSTED_PROXIES: \(error)") }
    }

    /// `CUSTOS_CLIENT_CERT_HEADER`: the header in which a TLS-terminating proxy forwards the
    /// client certificate (e.g. `X-SSL-Client-Cert`), believed only from a trusted proxy.
    /// Unset: none. Setting it without `CUSTOS_TRUSTED_PROXIES` is refused: no peer could
    /// send it.
    func clientCertificateHeader(trustedProxies: [AddressRange]) throws -> HTTPField.Name? {
        guard let text = value(nil, "CUSTOS_CLIENT_CERT_HEADER") else { return nil }
        guard let name = HTTPField.Name(text) else {
            throw ValidationError("CUSTOS_CLIENT_CERT_HEADER: \"\(text)\" is not a valid header name")
        }
        guard !trustedProxies.isEmpty else {
            throw ValidationError("CUSTOS_CLIENT_CERT_HEADER needs CUSTOS_TRUSTED_PROXIES: the header is believed only from a listed proxy")
        }
        return name
    }

    /// `CUSTOS_TLS_CERT_FILE` and `CUSTOS_TLS_KEY_FILE` (PEM): serve HTTPS. Unset: plain HTTP.
    /// One without the other, or a file that is missing or not PEM, stops start-up naming it.
    func tlsListener() throws -> TLSListenerConfiguration? {
        let certificate = value(nil, "CUSTOS_TLS_CERT_FILE")
        let key = value(nil, "CUSTOS_TLS_KEY_FILE")
        switch (certificate, key) {
        case (nil, nil): return nil
        case (let certificate?, let key?):
            do { return try TLSListenerConfiguration(certificateFile: certificate, keyFile: key) } catch {
                throw ValidationError(error.description)
            }
        case (nil, _): throw ValidationError("CUSTOS_TLS_KEY_FILE needs CUSTOS_TLS_CERT_FILE")
        case (_, nil): throw ValidationError("CUSTOS_TLS_CERT_FILE needs CUSTOS_TLS_KEY_FILE")
        }
    }

    /// `CUSTOS_TLS_CLIENT_CA_FILE` (a PEM bundle): the CAs of `tls_client_auth` client
    /// certificates (RFC 8705 §2.1). Unset: none, so only `self_signed_tls_client_auth` works.
    func clientCertificateAuthorities() throws -> ClientCertificateAuthorities? {
        guard let path = value(nil, "CUSTOS_TLS_CLIENT_CA_FILE") else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("CUSTOS_TLS_CLIENT_CA_FILE \(path): the file is missing or unreadable")
        }
        do { return try ClientCertificateAuthorities(pemBundle: String(decoding: data, as: UTF8.self)) } catch {
            throw ValidationError("CUSTOS_TLS_CLIENT_CA_FILE \(path): \(error.description)")
        }
    }

    /// `CUSTOS_MTLS_BASE_URL`: where a separate host or proxy serves the endpoints with mutual
    /// TLS (RFC 8705 §5 `mtls_endpoint_aliases`), an absolute https URL. Unset: none.
    func mutualTLSBaseURL() throws -> String? {
        guard let text = value(nil, "CUSTOS_MTLS_BASE_URL") else { return nil }
        guard let url = URL(string: text), url.scheme == "https", url.host != nil, url.query == nil, url.fragment == nil else {
            throw ValidationError("CUSTOS_MTLS_BASE_URL must be an absolute https URL without query or fragment")
        }
        return text
    }

    /// A whole number from the environment, at least `minimum`; nil when the variable is unset.
    /// A boolean setting: `1`/`true` or `0`/`false` (unset: false); anything else stops start-up.
    func flag(_ variable: String) throws -> Bool {
        guard let text = value(nil, variable) else { return false }
        switch text.lowercased() {
        case "1", "true": return true
        case "0", "false": return false
        default: throw ValidationError("\(variable) must be 1/true or 0/false, not \"\(text)\"")
        }
    }

    func number(_ variable: String, atLeast minimum: Int) throws -> Double? {
        guard let text = value(nil, variable) else { return nil }
        guard let number = Int(text), number >= minimum else {
            throw ValidationError("\(variable) must be a whole number, at least \(minimum)")
        }
        return Double(number)
    }

    /// The master key: `CUSTOS_MASTER_KEY`, or for a SQLite file a key file beside it, made
    /// on first start with mode 0600. PostgreSQL deployments run several nodes, which must
    /// share one key, so there it must be given.
    func masterKey(logger: Logger) throws -> MasterKey {
        if let encoded = environment["CUSTOS_MASTER_KEY"], !encoded.isEmpty {
            do { return try MasterKey(encoded: encoded) } catch { throw ValidationError("CUSTOS_MASTER_KEY: \(error)") }
        }
        guard case .sqliteFile(let databasePath) = try location else {
            if case .sqliteMemory = try location { return MasterKey.generate().key }
            throw ValidationError("CUSTOS_MASTER_KEY is required with PostgreSQL (all nodes must share it)")
        }
        let keyPath = URL(fileURLWithPath: databasePath).deletingPathExtension().appendingPathExtension("key").path
        let loaded: (key: MasterKey, created: Bool)
        do { loaded = try MasterKeyFile(path: keyPath).loadOrCreate() } catch { throw ValidationError(error.description) }
        if loaded.created {
            logger.warning(
                "created a master key file; keep it safe and back it up, or set CUSTOS_MASTER_KEY",
                metadata: ["path": "\(keyPath)"]
            )
        }
        return loaded.key
    }

    /// Runs `body` with an opened server, closing the database afterwards; an `AdminError`
    /// becomes a clean command-line error.
    func withServer(_ body: (AuthorizationServer) async throws -> Void) async throws {
        let logger = makeLogger()
        let server = try await openServer(defaultIssuer: "http://127.0.0.1:8080", logger: logger)
        do {
            try await body(server)
            try await server.storage.close()
        } catch let error as AdminError {
            try? await server.storage.close()
            throw ValidationError(error.message)
        } catch {
            try? await server.storage.close()
            throw error
        }
    }

    /// Opens storage, migrates it and builds the server.
    func openServer(defaultIssuer: String, logger: Logger) async throws -> AuthorizationServer {
        // The master key first: a key file that cannot be used stops the start before anything is opened.
        let masterKey = try masterKey(logger: logger)
        let configuration = try serverConfiguration(defaultIssuer: defaultIssuer)
        let storage = try await location.open(logger: logger)
        let server = AuthorizationServer(
            configuration: configuration,
            storage: storage,
            masterKey: masterKey,
            jwksFetcher: HTTPJWKSFetcher(allowPrivateNetworks: configuration.allowsPrivateFetch),
            logoutNotifier: HTTPLogoutNotifier(allowPrivateNetworks: configuration.allowsPrivateFetch, logger: logger)
        )
        do {
            try await server.prepare(logger: logger)
        } catch {
            try? await storage.close()
            throw error
        }
        return server
    }
}
