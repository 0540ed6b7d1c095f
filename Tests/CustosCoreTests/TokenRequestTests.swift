import Testing

@testable import CustosCore

/// `TokenRequest.restricted(to:)` drops the parameters a grant does not read but keeps the
/// presentation whole: sender constraints read it after the grant was chosen.
@Suite("Token request")
struct TokenRequestTests {
    @Test("restricting the parameters keeps the presentation")
    func restrictedKeepsPresentation() {
        let presentation = RequestPresentation(
            credentials: PresentedClientCredentials(basic: BasicCredentials(id: "app", secret: "secret")),
            dpopProof: "proof",
            htm: "POST",
            htu: "https://id.example.com/api/v1/oauth/token",
            clientCertificate: PresentedCertificate(der: [0x30, 0x00], subjectDN: "CN=app")
        )
        let request = TokenRequest(parameters: ["grant_type": "client_credentials", "code": "leak"], presentation: presentation)
        let restricted = request.restricted(to: ["grant_type"])
        #expect(restricted.parameters == ["grant_type": "client_credentials"])
        #expect(restricted.presentation == presentation)
    }

    @Test("the certificate thumbprint is base64url SHA-256 of the DER (RFC 8705 §3.1)")
    func thumbprint() {
        // SHA-256 of the empty input.
        #expect(PresentedCertificate.thumbprint(of: []) == "47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU")
    }
}
