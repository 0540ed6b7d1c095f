import CustosCore
import CustosTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

// Shared helpers of the JARM and hybrid-flow tests: the response parameters of each delivery
// (query, fragment, form post) and a JWT checked against the published JWKS the way a client
// checks it — never through the server's own signer or verifier.

enum AuthorizationAnswer {
    /// The parameters of a redirect's fragment, percent-decoded; nil without a fragment.
    static func fragment(_ location: String?) -> [String: String]? {
        guard let location, let hash = location.firstIndex(of: "#") else { return nil }
        var parameters: [String: String] = [:]
        for pair in location[location.index(after: hash)...].split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2 else { return nil }
            parameters[parts[0].removingPercentEncoding ?? parts[0]] = parts[1].removingPercentEncoding ?? parts[1]
        }
        return parameters
    }

    /// The hidden inputs of a form-post answer page, by name.
    static func formInputs(_ html: String) -> [String: String] {
        var inputs: [String: String] = [:]
        let pattern = #/<input type="hidden" name="([^"]*)" value="([^"]*)">/#
        for match in html.matches(of: pattern) { inputs[String(match.output.1)] = String(match.output.2) }
        return inputs
    }

    /// Verifies `token` with the key of its `kid` in `/.well-known/jwks.json`: the signature
    /// over the signing input with the header's `alg`, as any client would. Returns the
    /// header and the claims.
    static func verifiedWithJWKS(
        _ token: String,
        _ http: any TestClientProtocol,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> VerifiedJWT {
        let jws = try #require(ParsedJWS(token, maximumLength: 65_536), "not a compact JWS: \(token)", sourceLocation: sourceLocation)
        let header = try #require(try JSONSerialization.jsonObject(with: Data(jws.header)) as? [String: Any], sourceLocation: sourceLocation)
        let claims = try #require(try JSONSerialization.jsonObject(with: Data(jws.payload)) as? [String: Any], sourceLocation: sourceLocation)
        let kid = try #require(header["kid"] as? String, "no kid in \(header)", sourceLocation: sourceLocation)
        let algorithm = try #require(
            (header["alg"] as? String).flatMap(SigningAlgorithm.init(rawValue:)),
            "\(header)",
            sourceLocation: sourceLocation
        )
        let published = try await OAuthEndpointKit.jwks(http)
        let jwk = try #require(published.first { $0["kid"] as? String == kid }, "kid \(kid) is not published", sourceLocation: sourceLocation)
        let set = String(decoding: try JSONSerialization.data(withJSONObject: ["keys": [jwk]]), as: UTF8.self)
        let key = try #require(ClientPublicKey.parseSet(set).first?.verifier(for: algorithm), "\(jwk)", sourceLocation: sourceLocation)
        try #require(key.isValidSignature(jws.signature, for: jws.signingInput), "the signature does not verify", sourceLocation: sourceLocation)
        return VerifiedJWT(header: header, claims: claims)
    }

    /// Expects the JARM claims every response JWT has (§2.1): `iss` this server, `aud` the
    /// client, `exp` in the future and at most 10 minutes away.
    static func expectJARMEnvelope(
        _ jwt: VerifiedJWT,
        clientID: String,
        now: Date,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(jwt.claims["iss"] as? String == Flow.issuer, "\(jwt.claims)", sourceLocation: sourceLocation)
        #expect(jwt.claims["aud"] as? String == clientID, "\(jwt.claims)", sourceLocation: sourceLocation)
        let exp = jwt.claims["exp"] as? Int ?? 0
        let seconds = exp - Int(now.timeIntervalSince1970)
        #expect(seconds > 0 && seconds <= 600, "exp is \(seconds) s away", sourceLocation: sourceLocation)
    }
}
