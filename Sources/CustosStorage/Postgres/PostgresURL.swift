import Foundation
import NIOSSL
import PostgresNIO

/// Reads `postgres://user:password@host:port/database[?sslmode=disable|prefer|require]
/// [&search_path=SCHEMA][&pool_size=N][&request_timeout=SECONDS]`.
enum PostgresURL {
    struct Invalid: Error, CustomStringConvertible {
        var description: String { "the database URL must look like postgres://user:password@host:5432/database" }
    }

    /// `request_timeout`: how long a statement or transaction of a request may take, waiting
    /// for a connection included, before it fails as unavailable. Default 5 s.
    static func requestTimeout(from url: String) -> Duration {
        let items = URLComponents(string: url)?.queryItems ?? []
        guard let seconds = items.first(where: { $0.name == "request_timeout" })?.value.flatMap(Double.init), seconds > 0 else {
            return .seconds(5)
        }
        return .milliseconds(Int64(seconds * 1000))
    }

    static func configuration(from url: String) -> PostgresClient.Configuration? {
        guard let components = URLComponents(string: url),
            components.scheme == "postgres" || components.scheme == "postgresql",
            let host = components.host, !host.isEmpty, let user = components.user
        else { return nil }
        let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        let sslMode = components.queryItems?.first { $0.name == "sslmode" }?.value ?? "disable"
        let tls: PostgresClient.Configuration.TLS
        switch sslMode {
        case "require": tls = .require(.makeClientConfiguration())
        case "prefer": tls = .prefer(.makeClientConfiguration())
        default: tls = .disable
        }
        var configuration = PostgresClient.Configuration(
            host: host,
            port: components.port ?? 5432,
            username: user.removingPercentEncoding ?? user,
            password: components.password?.removingPercentEncoding,
            database: database.isEmpty ? nil : database,
            tls: tls
        )
        configuration.options.connectTimeout = .seconds(5)
        let query = components.queryItems ?? []
        if let schema = query.first(where: { $0.name == "search_path" })?.value, !schema.isEmpty {
            configuration.options.additionalStartupParameters = [("search_path", schema)]
        }
        if let size = query.first(where: { $0.name == "pool_size" })?.value.flatMap(Int.init), size > 0 {
            configuration.options.maximumConnections = size
        }
        return configuration
    }
}
