// The raw cost, on this machine and on one core, of the cryptography every token request
// needs whatever the server: one ES256 signature and verification of a JWT-sized input,
// one HMAC-SHA-256 (client-secret digest), one SHA-256 (opaque-token digest), and RS256
// (the default ID-token algorithm of OpenID Connect). Same library and version as Custos
// (swift-crypto 4.5.2 on BoringSSL). Prints one JSON object: microseconds per operation.
import Crypto
import _CryptoExtras
import Foundation

@inline(never) func blackHole<T>(_ value: T) { withExtendedLifetime(value) {} }

func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

/// Runs `body` in batches until `seconds` have passed; returns microseconds per call.
func measure(_ seconds: Double, _ body: () throws -> Void) rethrows -> Double {
    for _ in 0..<50 { try body() }  // warm-up
    var calls = 0
    let start = now()
    let deadline = start + UInt64(seconds * 1e9)
    var end = start
    repeat {
        for _ in 0..<64 { try body() }
        calls += 64
        end = now()
    } while end < deadline
    return Double(end - start) / 1e3 / Double(calls)
}

let seconds = Double(CommandLine.arguments.dropFirst().first ?? "") ?? 1.0

// A typical RFC 9068 access token's signing input (header.payload, base64url): ~330 bytes.
let signingInput = Data((String(repeating: "eyJhbGciOiJFUzI1NiIsInR5cCI6ImF0K2p3dCJ9", count: 1) + "."
    + String(repeating: "eyJpc3MiOiJodHRwOi8vMTI3LjAuMC4xIiwic3ViIjoiY2xfMDEi", count: 6)).utf8)
let es256 = P256.Signing.PrivateKey()
let es256Signature = try es256.signature(for: signingInput)
let rs256 = try _RSA.Signing.PrivateKey(keySize: .bits2048)
let rs256Signature = try rs256.signature(for: signingInput, padding: .insecurePKCS1v1_5)
let hmacKey = SymmetricKey(size: .bits256)
let clientSecret = Data("custos_cs_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG".utf8)
let opaqueToken = Data("custos_at_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG".utf8)

var results: [String: Double] = [:]
results["es256_sign_us"] = try measure(seconds) { blackHole(try es256.signature(for: signingInput)) }
results["es256_verify_us"] = measure(seconds) {
    precondition(es256.publicKey.isValidSignature(es256Signature, for: signingInput))
}
results["hmac_sha256_us"] = measure(seconds / 2) {
    blackHole(HMAC<SHA256>.authenticationCode(for: clientSecret, using: hmacKey))
}
results["sha256_us"] = measure(seconds / 2) { blackHole(SHA256.hash(data: opaqueToken)) }
results["rs256_sign_us"] = try measure(seconds) { blackHole(try rs256.signature(for: signingInput, padding: .insecurePKCS1v1_5)) }
results["rs256_verify_us"] = measure(seconds / 2) {
    precondition(rs256.publicKey.isValidSignature(rs256Signature, for: signingInput, padding: .insecurePKCS1v1_5))
}
let json = try JSONSerialization.data(withJSONObject: results, options: [.sortedKeys])
print(String(decoding: json, as: UTF8.self))
