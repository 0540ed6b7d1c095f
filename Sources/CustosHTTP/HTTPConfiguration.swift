import CustosCore
import HTTPTypes

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
    /// How long a client may take to send a whole request, counted from connecting or from
    /// its previous response; slower connections are closed (slowloris). Default 10 s.
    public var requestTimeout: Duration
    /// Reverse proxies whose `X-Forwarded-For` is believed (`CUSTOS_TRUSTED_PROXIES`:
    /// addresses or CIDR ranges). Default none: the TCP peer is the client.
    public var trustedProxies: [AddressRange] = []
    /// The header in which a TLS-terminating proxy forwards the client certificate
    /// (`CUSTOS_CLIENT_CERT_HEADER`, e.g. `X-SSL-Client-Cert`: URL-encoded PEM as nginx's
    /// `$ssl_client_escaped_cert`, PEM, or base64 DER). Believed only from `trustedProxies`.
    /// Default none: no header is read.
    public var clientCertificateHeader: HTTPField.Name?
    /// Serve HTTPS with this certificate and key (`CUSTOS_TLS_CERT_FILE`, `CUSTOS_TLS_KEY_FILE`),
    /// requesting a client certificate (RFC 8705). Default none: plain HTTP.
    public var tls: TLSListenerConfiguration?
    /// The CAs of `tls_client_auth` client certificates (`CUSTOS_TLS_CLIENT_CA_FILE`), for the
    /// TLS session's certificate and a trusted proxy's alike. Default none: no certificate
    /// chains, so `tls_client_auth` never succeeds (`self_signed_tls_client_auth` still can).
    public var clientCertificateAuthorities: ClientCertificateAuthorities?
    /// Where a separate host or proxy serves the endpoints with mutual TLS
    /// (`CUSTOS_MTLS_BASE_URL`, RFC 8705 §5 `mtls_endpoint_aliases`). Default none: the issuer,
    /// when this listener serves TLS or a proxy forwards certificates.
    public var mutualTLSBaseURL: String?

    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        apiPrefix: String = "/api/v1",
        maximumBodySize: Int = 1 << 20,
        templatesDirectory: String? = nil,
        requestTimeout: Duration = .seconds(10)
    ) {
        self.requestTimeout = requestTimeout
        self.host = host
        self.port = port
        self.apiPrefix = apiPrefix
        self.maximumBodySize = maximumBodySize
        self.templatesDirectory = templatesDirectory
    }
}
