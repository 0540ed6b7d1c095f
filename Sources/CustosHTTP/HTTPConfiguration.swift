/// How the HTTP server is reached and what it accepts.
public struct HTTPConfiguration: Sendable {
    /// Interface to bind. Default 127.0.0.1 (only this machine).
    public var host: String
    /// Port to bind. Default 8080.
    public var port: Int
    /// Prefix of every API path (the swagger `basePath`). Default `/api/v1`.
    public var apiPrefix: String
    /// Largest request body accepted; larger ones get 413. Default 1 MiB.
    public var maximumBodySize: Int
    /// A folder of `.mustache` files replacing the built-in pages (login, consent, account,
    /// error, header, footer). Default none.
    public var templatesDirectory: String?

    public init(
        host: String = "127.0.0.1", port: Int = 8080, apiPrefix: String = "/api/v1", maximumBodySize: Int = 1 << 20,
        templatesDirectory: String? = nil
    ) {
        self.host = host
        self.port = port
        self.apiPrefix = apiPrefix
        self.maximumBodySize = maximumBodySize
        self.templatesDirectory = templatesDirectory
    }
}
