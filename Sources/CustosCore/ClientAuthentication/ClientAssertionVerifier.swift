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
public struct ClientAssertionVerifier: ClientAuthenticationVerifier {
    public static let assertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
    public static let supportedMethods: Set<ClientAuthenticationMethod> = [.clientSecretJWT, .privateKeyJWT]
    static let maximumLength = 8 * 1024
    /// Assertions are short-lived; one valid for longer than this is refused.
    static let maximumLifetime: TimeInterval = 3_600

    private let secrets: any ClientSecretStore
    private let replay: any ReplayCache
    private let keys: ClientKeyResolver
    private let secretSealer: KeySealer
    private let configuration: ServerConfiguration
    private let audiences: [String]
    private let clock: any WallClock

    public init(
        secrets: any ClientSecretStore,
        replay: any ReplayCache,
        keys: ClientKeyResolver,
        secretSealer: KeySealer,
        configuration: ServerConfiguration,
        audiences: [String],
        clock: any WallClock
    ) {
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

    public var methods: Set<ClientAuthenticationMethod> { Self.supportedMethods }

    public func presents(_ presentation: RequestPresentation) -> Bool {
        presentation.credentials.assertion != nil || presentation.credentials.assertionType != nil
    }

    private static let failure = OAuthError.invalidClient("the client assertion is invalid")

    /// The assertion's `sub`, read before its signature is checked: it names the client whose
    /// keys verify it (RFC 7523 §3 items 1-2: `iss` = `sub` = client id, and equal to a
    /// `client_id` in the body when one is sent).
    public func claimedClientID(in presentation: RequestPresentation) throws -> String {
        let presented = presentation.credentials
        guard presented.assertionType == Self.assertionType, let assertion = presented.assertion else {
            throw OAuthError.invalidClient("client_assertion_type must be \(Self.assertionType)")
        }
        let (_, _, claims) = try Self.parse(assertion)
        guard let clientID = claims.sub, claims.iss == clientID,
            presented.bodyClientID == nil || presented.bodyClientID == clientID
        else { throw Self.failure }
        return clientID
    }

    public func verify(_ presentation: RequestPresentation, for client: OAuthClient) async throws -> ClientAuthenticationMethod {
        let failure = Self.failure
        guard let assertion = presentation.credentials.assertion else { throw failure }
        let (jws, header, claims) = try Self.parse(assertion)
        guard claims.sub == client.clientID else { throw failure }
        let method: ClientAuthenticationMethod
        if header.alg == "HS256" {
            method = .clientSecretJWT
            guard client.authMethods.contains(.clientSecretJWT),
                try await verifyHMAC(jws.signature, jws.signingInput, client: client)
            else { throw failure }
        } else {
            method = .privateKeyJWT
            guard client.authMethods.contains(.privateKeyJWT), let algorithm = SigningAlgorithm(rawValue: header.alg),
                client.policy.allows(algorithm),
                try await keys.verify(jws, algorithm: algorithm, kid: header.kid, client: client)
            else { throw failure }
        }
        try await checkClaims(claims, client: client, failure: failure)
        return method
    }

    public func refusal(for presentation: RequestPresentation) -> OAuthError { Self.failure }

    private static func parse(_ assertion: String) throws -> (ParsedJWS, Header, Claims) {
        guard let jws = ParsedJWS(assertion, maximumLength: maximumLength),
            let header = try? JSONDecoder().decode(Header.self, from: Data(jws.header)), header.crit == nil,
            let claims = try? JSONDecoder().decode(Claims.self, from: Data(jws.payload))
        else { throw failure }
        return (jws, header, claims)
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
        if client.policy.requiresIssuerAsSoleAudience {
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
