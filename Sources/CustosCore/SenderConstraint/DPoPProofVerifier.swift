import Crypto
import Foundation

/// Checks a DPoP proof JWT (RFC 9449 §4.3, pinned rule 7) and answers its key's thumbprint.
///
/// Every failure is `invalid_dpop_proof` (§7.1), except a missing, stale or foreign nonce,
/// which is `use_dpop_nonce` carrying a fresh nonce (§8). The checks that cost nothing run
/// first, so a hostile proof cannot make the server work: the size caps (§11.6; a 100 KB
/// header or an RSA-16384 key is refused before any signature is checked), then `typ`, `alg`
/// and the key, then the signature, then the claims; the `jti` is recorded last, so that a
/// proof refused for its nonce can be retried with a fresh proof without tripping the replay
/// check.
public struct DPoPProofVerifier: Sendable {
    /// What `dpop_signing_alg_values_supported` announces: asymmetric algorithms only (§4.3
    /// item 5 refuses `none` and MACs), and the FAPI 2.0 §5.4 set (no RS256).
    public static let supportedAlgorithms: [SigningAlgorithm] = [.ES256, .PS256, .EdDSA]
    /// A proof is a few hundred bytes; with a 4096-bit RSA key a little over 1 KB.
    static let maximumLength = 4096
    /// RSA keys from 2048 to 4096 bits (§11.6: bigger keys only cost the server CPU).
    static let rsaModulusBytes = 256...512
    /// How old a proof may be (§4.3 item 11 leaves the window to the server; §11.1).
    public static let maximumAge: TimeInterval = 60
    /// Private members of a JWK (RFC 7518 §6.2.2, §6.3.2, §6.4; RFC 8037 §2): a proof
    /// carrying one is refused (§4.3 item 7: the key must be public).
    static let privateMembers: Set<String> = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"]

    private let replay: any ReplayCache
    private let nonces: DPoPNonces
    private let configuration: ServerConfiguration
    private let clock: any WallClock

    public init(replay: any ReplayCache, nonces: DPoPNonces, configuration: ServerConfiguration, clock: any WallClock) {
        self.replay = replay
        self.nonces = nonces
        self.configuration = configuration
        self.clock = clock
    }

    public func verify(_ proof: String, expecting expected: DPoPExpectation) async throws -> DPoPProof {
        // Item 2: one well-formed compact JWS, within the size cap.
        guard let jws = ParsedJWS(proof, maximumLength: Self.maximumLength) else {
            throw OAuthError.invalidDPoPProof("the DPoP proof is not a compact JWS of acceptable size")
        }
        guard let header = try? JSONSerialization.jsonObject(with: Data(jws.header)) as? [String: Any],
            let claims = try? JSONDecoder().decode(Claims.self, from: Data(jws.payload))
        else { throw OAuthError.invalidDPoPProof("the DPoP proof's header or payload is not a JSON object") }
        // Item 4.
        guard header["typ"] as? String == "dpop+jwt" else { throw OAuthError.invalidDPoPProof("the DPoP proof's typ must be dpop+jwt") }
        // Item 5.
        guard let name = header["alg"] as? String, let algorithm = SigningAlgorithm(rawValue: name),
            Self.supportedAlgorithms.contains(algorithm)
        else {
            throw OAuthError.invalidDPoPProof(
                "the DPoP proof's alg must be one of \(Self.supportedAlgorithms.map(\.rawValue).joined(separator: ", "))"
            )
        }
        // Item 7: a public key, of a size we are willing to check.
        guard let jwk = header["jwk"] as? [String: Any] else { throw OAuthError.invalidDPoPProof("the DPoP proof carries no jwk") }
        guard Self.privateMembers.isDisjoint(with: jwk.keys) else {
            throw OAuthError.invalidDPoPProof("the DPoP proof's jwk must be a public key")
        }
        if jwk["kty"] as? String == "RSA" {
            guard let modulus = (jwk["n"] as? String).flatMap(Base64URL.decode),
                Self.rsaModulusBytes.contains(modulus.drop(while: { $0 == 0 }).count)
            else { throw OAuthError.invalidDPoPProof("the DPoP proof's RSA key must have 2048 to 4096 bits") }
        }
        guard let key = ClientPublicKey(jwk: jwk)?.verifier(for: algorithm) else {
            throw OAuthError.invalidDPoPProof("the DPoP proof's jwk cannot verify \(name)")
        }
        // Item 6.
        guard key.isValidSignature(jws.signature, for: jws.signingInput) else {
            throw OAuthError.invalidDPoPProof("the DPoP proof's signature does not verify")
        }
        // Item 3 (§4.2: every required claim).
        guard let jti = claims.jti, !jti.isEmpty, jti.utf8.count <= 256 else { throw OAuthError.invalidDPoPProof("the DPoP proof needs a jti") }
        guard let htm = claims.htm else { throw OAuthError.invalidDPoPProof("the DPoP proof needs htm") }
        guard let htu = claims.htu else { throw OAuthError.invalidDPoPProof("the DPoP proof needs htu") }
        guard let iat = claims.iat else { throw OAuthError.invalidDPoPProof("the DPoP proof needs iat") }
        // Item 8.
        guard htm == expected.htm else { throw OAuthError.invalidDPoPProof("the DPoP proof's htm does not match the request method") }
        // Item 9: compared without query and fragment, after RFC 3986 §6.2.2/§6.2.3 normalisation.
        guard let presented = Self.normalizedHTU(htu), presented == Self.normalizedHTU(expected.htu) else {
            throw OAuthError.invalidDPoPProof("the DPoP proof's htu does not match the request URL")
        }
        // Item 11: recent (pinned rule 6 leeway both ways).
        let now = clock.now.timeIntervalSince1970
        let leeway = configuration.clockLeeway
        guard iat <= now + leeway, iat >= now - Self.maximumAge - leeway else {
            throw OAuthError.invalidDPoPProof("the DPoP proof's iat is outside the accepted window")
        }
        // Item 12 (at a resource): bound to the access token it travels with.
        if let token = expected.accessToken {
            guard let ath = claims.ath, ath == Self.accessTokenHash(token) else {
                throw OAuthError.invalidDPoPProof("the DPoP proof's ath does not match the access token")
            }
        }
        // Item 10, §8: a nonce that is present is always checked; a missing one only matters
        // when the server requires nonces for this request.
        let nonce = claims.nonce
        if let nonce {
            guard nonces.isValid(nonce) else {
                throw OAuthError(.useDPoPNonce, "the DPoP nonce is not valid; use the nonce in DPoP-Nonce", dpopNonce: nonces.issue())
            }
        } else if expected.requiresNonce {
            throw OAuthError(.useDPoPNonce, "the DPoP proof must carry the server's nonce", dpopNonce: nonces.issue())
        }
        // §11.1: each proof once, across every node, as long as it could be accepted.
        guard
            try await replay.firstUse(
                of: "dpop:\(key.kid):\(jti)",
                tenant: configuration.tenant,
                expiresAt: Date(timeIntervalSince1970: iat + Self.maximumAge + 2 * leeway),
                now: clock.now
            )
        else { throw OAuthError.invalidDPoPProof("the DPoP proof was used already") }
        return DPoPProof(thumbprint: key.kid, jti: jti, nonce: nonce)
    }

    /// The claims §4.2 defines; any other claim is ignored (H18). A registered claim of the
    /// wrong JSON type fails the decoding, hence the proof.
    struct Claims: Decodable {
        var jti: String?
        var htm: String?
        var htu: String?
        var iat: Double?
        var ath: String?
        var nonce: String?
    }

    /// `ath` (§4.2): base64url of the SHA-256 of the access token's ASCII.
    public static func accessTokenHash(_ token: String) -> String {
        Base64URL.encode(SHA256.hash(data: Data(token.utf8)))
    }

    /// Scheme and host in lower case, the default port dropped, an empty path as `/`, query and
    /// fragment removed (§4.3 item 9; RFC 3986 §6.2.2.1, §6.2.3). nil for anything that is not
    /// an absolute http(s) URL.
    static func normalizedHTU(_ text: String) -> String? {
        guard var components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            scheme == "https" || scheme == "http", let host = components.host?.lowercased(), !host.isEmpty
        else { return nil }
        components.scheme = scheme
        components.host = host
        if (scheme == "https" && components.port == 443) || (scheme == "http" && components.port == 80) { components.port = nil }
        if components.path.isEmpty { components.path = "/" }
        components.query = nil
        components.fragment = nil
        components.user = nil
        components.password = nil
        return components.string
    }
}
