import CustosCore
import Testing

/// Rule 13 at registration: a URL the server will contact (jwks_uri, sector_identifier_uri,
/// backchannel_logout_uri) whose host is a special-use literal is refused naming the field,
/// unless the operator allows private fetches.
@Suite("Client metadata: outbound targets")
struct OutboundTargetRegistrationTests {
    static func request(field: String, url: String) -> ClientRegistrationRequest {
        var request = CoreFixtures.createRequest()
        var openID = ClientMetadata()
        switch field {
        case "jwks_uri": request.jwksURI = url
        case "sector_identifier_uri": openID.sectorIdentifierURI = url
        default: openID.backchannelLogoutURI = url
        }
        request.openID = openID
        return request
    }

    static func rejectedField(_ validator: ClientMetadataValidator, _ request: ClientRegistrationRequest) -> String? {
        CoreFixtures.rejectedField(request, validator: validator)
    }

    @Test(
        "when a fetched URL names a special-use literal (any form) then registration is refused naming the field",
        arguments: [
            "jwks_uri", "sector_identifier_uri", "backchannel_logout_uri",
        ]
    )
    func refused(field: String) {
        let validator = ClientMetadataValidator(scopes: ScopeRegistry())
        for url in [
            "https://127.0.0.1/x", "https://2130706433/x", "https://0177.0.0.1/x", "https://0x7f.1/x", "https://[::ffff:127.0.0.1]/x",
            "https://169.254.169.254/x", "https://[fd00::1]/x", "https://localhost/x",
        ] {
            #expect(Self.rejectedField(validator, Self.request(field: field, url: url)) == field, "\(field) = \(url)")
        }
        #expect(Self.rejectedField(validator, Self.request(field: field, url: "https://rp.example.com/x")) == nil)
    }

    @Test(
        "when private fetches are allowed then special-use literals are accepted (development and tests)",
        arguments: [
            "jwks_uri", "sector_identifier_uri", "backchannel_logout_uri",
        ]
    )
    func allowed(field: String) {
        let validator = ClientMetadataValidator(scopes: ScopeRegistry(), outboundAddresses: OutboundAddressPolicy(allowsPrivateAddresses: true))
        #expect(Self.rejectedField(validator, Self.request(field: field, url: "https://127.0.0.1:8443/x")) == nil)
        #expect(Self.rejectedField(validator, Self.request(field: field, url: "https://[::1]/x")) == nil)
    }
}
