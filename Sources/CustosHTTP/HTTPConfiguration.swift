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

    public init(host: String = "127.0.0.1", port: Int = 8080, apiPrefix: String = "/api/v1", maximumBodySize: Int = 1 << 20) {
        self.host = host
        self.port = port
        self.apiPrefix = apiPrefix
        self.maximumBodySize = maximumBodySize
    }
}
