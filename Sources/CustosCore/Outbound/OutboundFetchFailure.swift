/// Why a request Custos makes on a client's behalf (jwks_uri, request_uri,
/// sector_identifier_uri, back-channel logout) failed. Every failure of the outbound client is
/// this one type, so each caller maps it to the client's error in its own format
/// (`invalid_client`, `invalid_request_uri`, `invalid_client_metadata`) instead of letting a
/// transport error become a 500. `description` names the reason and the host only; it may go
/// into an `error_description`.
public struct OutboundFetchFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        /// Not an absolute http(s) URL with a plain host, or http where https is required.
        case invalidURL
        /// The host is, or resolves to, a special-use address (`SpecialPurposeAddresses`) and
        /// private fetches are not allowed.
        case refusedAddress
        /// The name does not resolve.
        case unresolvable
        /// No connection (refused, reset, TLS failure) or a malformed HTTP answer.
        case unreachable
        /// Resolution, connection and answer together took longer than the fetch timeout.
        case timedOut
        /// The body is larger than the size cap.
        case tooLarge
        /// The answer was not a success status; redirects are answers too (never followed).
        case badStatus(Int)
        /// The body is not what the caller expects (not UTF-8, not JSON, not a JWK Set…).
        case malformedContent
    }

    public let reason: Reason
    /// The URL's host, for messages and logs (never the path or query, which may carry secrets).
    public let host: String

    public init(_ reason: Reason, host: String) {
        self.reason = reason
        self.host = host
    }

    public var description: String {
        let what =
            switch reason {
            case .invalidURL: "is not an acceptable URL"
            case .refusedAddress: "points to a special-use (private, loopback, link-local or reserved) address"
            case .unresolvable: "does not resolve"
            case .unreachable: "could not be reached"
            case .timedOut: "did not answer in time"
            case .tooLarge: "answered with a body over the size limit"
            case .badStatus(let status): "answered with status \(status)"
            case .malformedContent: "answered with content that is not the expected document"
            }
        return host.isEmpty ? "the URL \(what)" : "\(host) \(what)"
    }
}
