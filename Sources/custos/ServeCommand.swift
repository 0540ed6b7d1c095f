import ArgumentParser
import CustosCore
import CustosHTTP
import Foundation
import Hummingbird
import Logging

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the server (SQLite file custos.db and 127.0.0.1:8080 unless told otherwise)."
    )

    @OptionGroup var runtime: RuntimeOptions

    @Option(help: "Interface to listen on (env CUSTOS_HOST). Default 127.0.0.1.")
    var host: String?

    @Option(help: "Port to listen on (env CUSTOS_PORT). Default 8080.")
    var port: Int?

    func run() async throws {
        let logger = runtime.makeLogger()
        let host = runtime.value(host, "CUSTOS_HOST") ?? "127.0.0.1"
        guard let port = try port ?? runtime.value(nil, "CUSTOS_PORT").map(Self.parsePort) ?? 8080 as Int?, (0...65535).contains(port)
        else { throw ValidationError("the port must be between 0 and 65535") }
        let publicHost = host == "0.0.0.0" || host == "::" ? "127.0.0.1" : host
        // Listener settings are read before the database opens, so a bad one stops start-up
        // with its message and leaves nothing half-open.
        let trustedProxies = try runtime.trustedProxies()
        let clientCertificateHeader = try runtime.clientCertificateHeader(trustedProxies: trustedProxies)
        let tls = try runtime.tlsListener()
        let clientCertificateAuthorities = try runtime.clientCertificateAuthorities()
        let mutualTLSBaseURL = try runtime.mutualTLSBaseURL()
        let scheme = tls == nil ? "http" : "https"
        let server = try await runtime.openServer(defaultIssuer: "\(scheme)://\(publicHost):\(port)", logger: logger)
        let bootstrap = try await server.bootstrap.ensureAdminClient(
            clientID: runtime.environment["CUSTOS_BOOTSTRAP_ADMIN_CLIENT_ID"],
            secret: runtime.environment["CUSTOS_BOOTSTRAP_ADMIN_CLIENT_SECRET"]
        )
        if let bootstrap {
            // Printed to the console once, never through the logger, so it reaches no log pipeline.
            print("Custos created the bootstrap administrator client.")
            print("  client_id:     \(bootstrap.clientID)")
            if let secret = bootstrap.generatedSecret {
                print("  client_secret: \(secret)")
                print("Store the secret now: it is shown only this once.")
            }
            fflush(nil)
        }
        var http = HTTPConfiguration(
            host: host,
            port: port,
            templatesDirectory: runtime.environment["CUSTOS_TEMPLATES_DIR"],
            requestTimeout: .seconds(try runtime.number("CUSTOS_REQUEST_TIMEOUT", atLeast: 1) ?? 10)
        )
        http.trustedProxies = trustedProxies
        http.clientCertificateHeader = clientCertificateHeader
        http.tls = tls
        http.clientCertificateAuthorities = clientCertificateAuthorities
        http.mutualTLSBaseURL = mutualTLSBaseURL
        let app = try await buildApplication(
            configuration: http,
            server: server,
            logger: logger,
            // ServiceGroup shuts services down in reverse order: key maintenance stops before
            // the database closes.
            services: [
                StorageCloser(storage: server.storage),
                KeyMaintenanceService(rotation: server.keyRotation, interval: server.configuration.keyRefreshInterval, logger: logger),
            ]
        )
        logger.info(
            "custos listening",
            metadata: ["address": "\(host):\(port)", "issuer": "\(server.configuration.issuer)", "tls": "\(http.tls != nil)"]
        )
        try await app.runService()
    }

    static func parsePort(_ text: String) throws -> Int {
        guard let port = Int(text) else { throw ValidationError("CUSTOS_PORT must be a number") }
        return port
    }
}
