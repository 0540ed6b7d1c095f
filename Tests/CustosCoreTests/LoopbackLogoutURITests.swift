import CustosCore
import Testing

/// `backchannel_logout_uri` is https, except that an operator who allows private networks
/// (development, the interop suite) may register an http loopback URI (Back-Channel Logout
/// 1.0 §2.2: http only where the OP allows it).
@Suite("Client metadata: loopback http back-channel logout")
struct LoopbackLogoutURITests {
    static func request(_ uri: String) -> ClientRegistrationRequest {
        var openID = ClientMetadata()
        openID.backchannelLogoutURI = uri
        var request = CoreFixtures.createRequest()
        request.openID = openID
        return request
    }

    static func field(_ validator: ClientMetadataValidator, _ uri: String) -> String? {
        do {
            _ = try validator.validate(request(uri), existing: nil)
            return nil
        } catch {
            if case .invalidField(let field, _) = error { return field }
            return "unexpected \(error)"
        }
    }

    @Test("when private networks are not allowed then an http loopback back-channel URI is refused")
    func refusedByDefault() {
        let validator = ClientMetadataValidator(scopes: ScopeRegistry())
        #expect(Self.field(validator, "http://127.0.0.1:9000/logout") == "backchannel_logout_uri")
        #expect(Self.field(validator, "https://rp.example/logout") == nil)
    }

    @Test("when private networks are allowed then http is accepted on loopback hosts only")
    func loopbackWhenAllowed() {
        let validator = ClientMetadataValidator(scopes: ScopeRegistry(), allowsLoopbackHTTPLogout: true)
        #expect(Self.field(validator, "http://127.0.0.1:9000/logout") == nil)
        #expect(Self.field(validator, "http://localhost:9000/logout") == nil)
        #expect(Self.field(validator, "http://rp.example/logout") == "backchannel_logout_uri")
        #expect(Self.field(validator, "http://127.0.0.1:9000/logout#x") == "backchannel_logout_uri")
    }
}
