import Crypto
import Foundation

/// Verifies a client assertion (RFC 7523 §3, OpenID Connect Core §9): private_key_jwt with
/// the client's registered public keys, client_secret_jwt with HMAC under its secret.
///
/// The checks, in order: size; header `alg` on the allow-list (never `none`; HMAC only for
/// client_secret_jwt, so a public key can never be used as an HMAC secret); `iss` = `sub` =
/// client id; the method registered; the signature; `aud` (pinned rule 5: the issuer, or for
/// non-FAPI clients also the token or PAR endpoint); `exp` required and in the future,
/// `iat`/`nbf` not in the future, with the pinned 10 s leeway; `jti` single-use across
/// nodes until `exp`.
public struct ClientAssertionVerifier: Sendable {
    public static let assertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
    static let maximumLength = 8 * 1024
    /// Assertions are short-lived; one valid for longer than this is refused.
    static let maximumLifetime: TimeInterval = 3_600

    private let clients: any ClientLookup
    private let secrets: any ClientSecretStore
    private let replay: any ReplayCache
    private let keys: ClientKeyResolver
    private let secretSealer: KeySealer
    private let configuration: ServerConfiguration
    private let audiences: [String]
    private let clock: any WallClock

    public init(
        clients: any ClientLookup,
        secrets: any ClientSecretStore,
        replay: any ReplayCache,
        keys: ClientKeyResolver,
        secretSealer: KeySealer,
        configuration: ServerConfiguration,
        audiences: [String],
        clock: any WallClock
    ) {
        self.clients = clients
        self.secrets = secrets
        self.replay = replay
        self.keys = keys
        self.secretSealer = secretSealer
        self.configuration = configuration
        self.audiences = audiences
        self.clock = clock
    }

    struct Header: Decodable {
        var alg: String
        var kid: String?
        var crit: [String]?
    }

    struct Claims: Decodable {
        var iss: String?
        var sub: String?
        var aud: Audience?
        var exp: Double?
        var iat: Double?
        var nbf: Double?
        var jti: String?
    }

    public func verify(_ assertion: String, expectedClientID: String?) async throws -> AuthenticatedClient {
        let failure = OAuthError.invalidClient("the client assertion is invalid")
        guard let jws = ParsedJWS(assertion, maximumLength: Self.maximumLength),
            let header = try? JSONDecoder().decode(Header.self, from: Data(jws.header)), header.crit == nil,
            let claims = try? JSONDecoder().decode(Claims.self, from: Data(jws.payload))
        else { throw failure }
        guard let clientID = claims.sub, claims.iss == clientID, expectedClientID == nil || expectedClientID == clientID,
            let client = try await clients.client(clientID: clientID, tenant: configuration.tenant), client.status == .active
        else { throw failure }
        let method: ClientAuthenticationMethod
        if header.alg == "HS256" {
            method = .clientSecretJWT
            guard client.authMethods.contains(.clientSecretJWT),
                try await verifyHMAC(jws.signature, jws.signingInput, client: client)
            else { throw failure }
        } else {
            method = .privateKeyJWT
            guard client.authMethods.contains(.privateKeyJWT), let algorithm = SigningAlgorithm(rawValue: header.alg),
                client.fapiProfile == .none || algorithm != .RS256,
                try await keys.verify(jws, algorithm: algorithm, kid: header.kid, client: client)
            else { throw failure }
        }
        try await checkClaims(claims, client: client, failure: failure)
        return AuthenticatedClient(client: client, method: method)
    }

    private func verifyHMAC(_ signature: [UInt8], _ input: [UInt8], client: OAuthClient) async throws -> Bool {
        let now = clock.now
        for secret in try await secrets.secrets(clientRecordID: client.id, tenant: configuration.tenant) where secret.accepts(at: now) {
            guard let sealed = secret.sealedValue, let value = try? secretSealer.open(sealed, kid: secret.id) else { continue }
            let key = SymmetricKey(data: value)
            if HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: input, using: key) { return true }
        }
        return false
    }

    private func checkClaims(_ claims: Claims, client: OAuthClient, failure: OAuthError) async throws {
        let now = clock.now.timeIntervalSince1970
        let leeway = configuration.clockLeeway
        guard let audience = claims.aud else { throw failure }
        if client.fapiProfile != .none {
            // FAPI 2.0 §5.3.2.1 item 8 (pinned rule 5): the issuer, as a single string.
            guard audience.values == [configuration.issuer] else { throw failure }
        } else {
            guard audience.values.contains(where: { $0 == configuration.issuer || audiences.contains($0) }) else { throw failure }
        }
        guard let exp = claims.exp, exp + leeway > now, exp - now <= Self.maximumLifetime else { throw failure }
        if let iat = claims.iat, iat - leeway > now { throw failure }
        if let nbf = claims.nbf, nbf - leeway > now { throw failure }
        guard let jti = claims.jti, !jti.isEmpty, jti.utf8.count <= 256 else { throw failure }
        guard
            try await replay.firstUse(
                of: "client_assertion:\(client.clientID):\(jti)",
                tenant: configuration.tenant,
                expiresAt: Date(timeIntervalSince1970: exp + leeway),
                now: clock.now
            )
        else { throw OAuthError.invalidClient("the client assertion was used already") }
    }
}
