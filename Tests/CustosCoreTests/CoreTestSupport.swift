import CustosCore
import CustosTestSupport
import Foundation

/// Helpers shared by the core tests. Nothing here asserts; the suites do.
enum CoreFixtures {
    /// The field an `invalidField` error of `validator` names for `request`, or nil when it is
    /// valid (any other error is reported as such, so that it cannot pass for a field).
    static func rejectedField(
        _ request: ClientRegistrationRequest,
        validator: ClientMetadataValidator,
        existing: ValidatedClient? = nil
    ) -> String? {
        do {
            _ = try validator.validate(request, existing: existing)
            return nil
        } catch {
            if case .invalidField(let field, _) = error { return field }
            return "unexpected \(error)"
        }
    }

    /// A fixed instant with whole milliseconds, so that times survive every round trip.
    static let epoch = Date(timeIntervalSince1970: 1_800_000_000)

    /// Runs `body` with a `SigningKeySet` over a fresh SQLite storage, holding one key of
    /// `algorithm` (its default) and one of each of `others`; the storage is closed afterwards.
    static func withKeySet<T: Sendable>(
        _ algorithm: SigningAlgorithm = .ES256,
        others: [SigningAlgorithm] = [],
        _ body: (SigningKeySet) async throws -> T
    ) async throws -> T {
        let storage: any Storage = try await TestDatabase.sqlite.makeStorage()
        do {
            let keys = SigningKeySet(
                store: storage,
                sealer: KeySealer(masterKey: MasterKey.generate().key),
                tenant: .default,
                clock: ManualClock(epoch),
                defaultAlgorithm: algorithm
            )
            try await keys.ensureKeys(algorithms: [algorithm] + others, logger: LogCapture().logger())
            let result = try await body(keys)
            try await storage.close()
            return result
        } catch {
            try? await storage.close()
            throw error
        }
    }

    /// A compact JWS assembled by hand: any header, any payload, any signature bytes.
    static func compactJWS(header: [String: Any], payload: [String: Any], signature: [UInt8]) throws -> String {
        let headerBytes = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        let payloadBytes = try JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys])
        return Base64URL.encode(headerBytes) + "." + Base64URL.encode(payloadBytes) + "." + Base64URL.encode(signature)
    }

    /// A compact JWS with a hand-written header, really signed by `key` (for header attacks
    /// whose signature is otherwise valid).
    static func signedJWS(header: [String: Any], payload: [String: Any], key: SigningKey) throws -> String {
        let headerBytes = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        let payloadBytes = try JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys])
        let signingInput = Base64URL.encode(headerBytes) + "." + Base64URL.encode(payloadBytes)
        return signingInput + "." + Base64URL.encode(try key.sign(Array(signingInput.utf8)))
    }

    /// The decoded JSON object of one base64url segment of a compact JWS.
    static func segment(_ token: String, _ index: Int) throws -> [String: Any] {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let bytes = Base64URL.decode(parts[index]),
            let object = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any]
        else { throw MalformedFixture(text: token) }
        return object
    }

    /// A minimal valid create request; tests change one field at a time.
    static func createRequest(
        name: String? = "Example App",
        redirectURIs: [String]? = ["https://app.example.com/cb"]
    ) -> ClientRegistrationRequest {
        ClientRegistrationRequest(name: name, redirectURIs: redirectURIs)
    }

    /// A public EC key (RFC 7517 Appendix A.1) as a JWK member dictionary.
    static func publicECKey(kid: String? = "ec-1") -> [String: Any] {
        var key: [String: Any] = [
            "kty": "EC", "crv": "P-256", "x": "MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4",
            "y": "4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM",
        ]
        if let kid { key["kid"] = kid }
        return key
    }

    static func jwkSet(_ keys: [[String: Any]]) -> String {
        let data = try! JSONSerialization.data(withJSONObject: ["keys": keys], options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    struct MalformedFixture: Error { let text: String }
}
