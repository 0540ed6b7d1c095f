import Foundation

/// Request objects (RFC 9101; OpenID Connect Core §6): the authorization request as a JWT,
/// by value (`request`) or by reference (`request_uri`, fetched like a jwks_uri). A signed
/// object is verified with the client's registered keys under the same algorithm allow-list
/// as client assertions; an unsigned one (`alg: none`) is accepted only from a client that
/// registered no `request_object_signing_alg`. Its parameters replace the query's (§6.3), and
/// its `client_id` must be the query's.
public struct RequestObjectResolver: Sendable {
    private let keys: ClientKeyResolver
    private let fetcher: any JWKSFetcher
    private let configuration: ServerConfiguration
    private let clock: any WallClock

    public init(keys: ClientKeyResolver, fetcher: any JWKSFetcher, configuration: ServerConfiguration, clock: any WallClock) {
        self.keys = keys
        self.fetcher = fetcher
        self.configuration = configuration
        self.clock = clock
    }

    public func resolve(_ request: AuthorizationRequest, client: OAuthClient) async throws -> AuthorizationRequest {
        let jwt: String
        if let value = request["request"] {
            guard request["request_uri"] == nil else { throw OAuthError.invalidRequest("send request or request_uri, not both") }
            jwt = value
        } else if let uri = request["request_uri"] {
            guard uri.hasPrefix("https://") else { throw OAuthError(.invalidRequestURI, "request_uri must be an https URL") }
            do {
                jwt = try await fetcher.fetch(uri).trimmingCharacters(in: .whitespacesAndNewlines)
            } catch {
                throw OAuthError(.invalidRequestURI, "request_uri could not be fetched")
            }
        } else {
            return request
        }
        let invalid = OAuthError(.invalidRequestObject, "the request object is invalid")
        guard let jws = ParsedJWS(jwt, maximumLength: 16 * 1024),
            let header = try? JSONSerialization.jsonObject(with: Data(jws.header)) as? [String: Any],
            let alg = header["alg"] as? String,
            let claims = try? JSONSerialization.jsonObject(with: Data(jws.payload)) as? [String: Any]
        else { throw invalid }
        if alg == "none" {
            guard client.openID.requestObjectSigningAlg == nil, jws.signature.isEmpty else { throw invalid }
        } else {
            guard let algorithm = SigningAlgorithm(rawValue: alg),
                client.openID.requestObjectSigningAlg.map({ $0 == alg }) ?? true
            else { throw invalid }
            guard try await keys.verify(jws, algorithm: algorithm, kid: header["kid"] as? String, client: client) else { throw invalid }
            // RFC 9101 §6.1: a signed object names its issuer and audience.
            if let iss = claims["iss"] as? String, iss != client.clientID { throw invalid }
            if let aud = claims["aud"] {
                let audiences = (aud as? String).map { [$0] } ?? (aud as? [String]) ?? []
                guard audiences.contains(configuration.issuer) else { throw invalid }
            }
        }
        let now = clock.now.timeIntervalSince1970
        if let exp = claims["exp"] as? Double, exp + configuration.clockLeeway < now { throw invalid }
        if let nbf = claims["nbf"] as? Double, nbf - configuration.clockLeeway > now { throw invalid }
        if let objectClientID = claims["client_id"] as? String, objectClientID != client.clientID { throw invalid }
        var parameters: [String: String] = ["client_id": client.clientID]
        for (name, value) in claims where !["iss", "aud", "exp", "nbf", "iat", "jti", "request", "request_uri"].contains(name) {
            switch value {
            case let text as String: parameters[name] = text
            case let number as NSNumber: parameters[name] = number.stringValue
            case let object as [String: Any]:
                if let data = try? JSONSerialization.data(withJSONObject: object) { parameters[name] = String(decoding: data, as: UTF8.self) }
            default: continue
            }
        }
        return AuthorizationRequest(parameters: parameters)
    }
}
