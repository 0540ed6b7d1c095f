import CustosCore
import Testing

@Suite("Client metadata: generic admin members")
struct ClientMetadataMembersTests {
    let validator = ClientMetadataValidator(scopes: ScopeRegistry())

    func request(_ members: [String: JSONValue]) -> ClientRegistrationRequest {
        var request = CoreFixtures.createRequest()
        request.metadataMembers = members
        return request
    }

    @Test("when the admin request carries a metadata member without a field of its own then it is set, replaced and cleared")
    func setReplaceClear() throws {
        let created = try validator.validate(
            request(["default_max_age": .integer(60), "contacts": .array([.string("ops@example.com")])]),
            existing: nil
        )
        #expect(created.defaultMaxAge == 60 && created.contacts == ["ops@example.com"])
        var update = ClientRegistrationRequest()
        update.metadataMembers = ["default_max_age": .integer(120)]
        let replaced = try validator.validate(update, existing: created)
        #expect(replaced.defaultMaxAge == 120 && replaced.contacts == ["ops@example.com"], "an absent member keeps its value")
        update.metadataMembers = ["contacts": .null]
        #expect(try validator.validate(update, existing: replaced).contacts == nil, "null clears")
    }

    @Test("when a generic member has the wrong JSON type or breaks its rule then the error names it")
    func rejected() {
        for (members, field) in [
            (["default_max_age": JSONValue.string("60")], "default_max_age"), (["default_max_age": .integer(-1)], "default_max_age"),
            (["require_auth_time": .integer(1)], "require_auth_time"), (["subject_type": .string("secret")], "subject_type"),
        ] {
            #expect(throws: AdminError.self) { try validator.validate(request(members), existing: nil) }
            do {
                _ = try validator.validate(request(members), existing: nil)
            } catch {
                if case .invalidField(let named, _) = error { #expect(named == field, "\(members)") } else { Issue.record("\(error)") }
            }
        }
    }
}
