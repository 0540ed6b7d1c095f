import CustosCore
import Foundation
import Testing

/// RFC 9396 §2 parsing, §10 type registration and §6.1 narrowing, on `AuthorizationDetails`.
@Suite("Authorization details: parsing, client types, narrowing")
struct AuthorizationDetailsTests {
    static func client(types: [String]?) -> OAuthClient {
        var client = OAuthClient(
            id: "01J0000000000000000000000A",
            tenant: .default,
            clientID: "cl_rar",
            name: "RAR",
            isConfidential: true,
            redirectURIs: ["https://app.example.com/cb"],
            grantTypes: [.authorizationCode],
            authMethods: [.clientSecretBasic],
            scopes: ["openid"],
            corsOrigins: [],
            createdAt: Date(timeIntervalSince1970: 1_800_000_000),
            updatedAt: Date(timeIntervalSince1970: 1_800_000_000)
        )
        client.metadata.authorizationDetailsTypes = types
        return client
    }

    static let payment = #"""
        [{"type":"payment_initiation","actions":["initiate","status","cancel"],"locations":["https://bank.example/payments"],
          "instructedAmount":{"currency":"EUR","amount":"123.50"},"data_types":["balance"],"identifier":"pmt-1",
          "constraints":{"max":10},"urgent":true}]
        """#

    static func parsed(_ text: String) throws -> AuthorizationDetails {
        try AuthorizationDetails.parse(text).get()
    }

    @Test("when well-formed details are parsed then every member is kept verbatim, booleans as booleans, and encoded with sorted members")
    func keepsMembers() throws {
        let details = try Self.parsed(Self.payment)
        let detail = try #require(details.details.first)
        #expect(detail.type == "payment_initiation")
        #expect(detail.strings("actions") == ["initiate", "status", "cancel"])
        #expect(detail.strings("data_types") == ["balance"])
        #expect(detail.members["urgent"] == .bool(true))
        #expect(detail.members["constraints"] == .object(["max": .integer(10)]))
        #expect(detail.members["identifier"] == .string("pmt-1"))
        let canonical = details.canonicalJSON
        #expect(canonical.hasPrefix(#"[{"actions":["initiate","status","cancel"],"constraints":{"max":10},"data_types""#), "\(canonical)")
        #expect(try Self.parsed(canonical) == details, "the canonical form reads back the same")
    }

    @Test(
        "when the text is malformed, not an array, empty, has an element without a string type or a mistyped common field, then it is invalid_authorization_details",
        arguments: [
            "{not json", #"{"type":"x"}"#, "[]", #"["x"]"#, #"[{"actions":["a"]}]"#, #"[{"type":7}]"#, #"[{"type":""}]"#,
            #"[{"type":"x","actions":"initiate"}]"#, #"[{"type":"x","locations":[1]}]"#, #"[{"type":"x","identifier":["a"]}]"#,
            #"[{"type":"x","datatypes":{"a":1}}]"#,
        ]
    )
    func malformed(text: String) {
        guard case .failure(let error) = AuthorizationDetails.parse(text) else {
            Issue.record("\(text) was accepted")
            return
        }
        #expect(error.code == .invalidAuthorizationDetails)
    }

    @Test("when the text is longer than 16 KiB or holds more than 32 objects then it is refused before anything else")
    func bounded() {
        let many = "[" + Array(repeating: #"{"type":"x"}"#, count: 33).joined(separator: ",") + "]"
        let thirtyTwo = "[" + Array(repeating: #"{"type":"x"}"#, count: 32).joined(separator: ",") + "]"
        let long = #"[{"type":"x","note":""# + String(repeating: "a", count: 16 * 1024) + #""}]"#
        for text in [many, long] {
            guard case .failure(let error) = AuthorizationDetails.parse(text) else {
                Issue.record("an oversized value was accepted")
                continue
            }
            #expect(error.code == .invalidAuthorizationDetails)
        }
        #expect((try? AuthorizationDetails.parse(thirtyTwo).get())?.details.count == 32)
    }

    @Test("when a type is not among the client's authorization_details_types then it is invalid_authorization_details, and a registered one passes")
    func clientTypes() throws {
        let registered = Self.client(types: ["payment_initiation"])
        #expect((try? AuthorizationDetails.parse(Self.payment, for: registered).get()) != nil)
        for client in [Self.client(types: ["account_information"]), Self.client(types: nil)] {
            guard case .failure(let error) = AuthorizationDetails.parse(Self.payment, for: client) else {
                Issue.record("an unregistered type was accepted")
                continue
            }
            #expect(error.code == .invalidAuthorizationDetails)
            #expect(error.description?.contains("payment_initiation") == true)
        }
    }

    @Test(
        "when requested details have fewer actions or locations than a granted element then they are covered; more, another type, a dropped or added member, or a changed value are not"
    )
    func narrowing() throws {
        let granted = try Self.parsed(
            #"[{"type":"account_information","actions":["read","list"],"locations":["https://a.example","https://b.example"],"identifier":"acc-1"}]"#
        )
        let narrower = try Self.parsed(#"[{"type":"account_information","actions":["read"],"locations":["https://a.example"],"identifier":"acc-1"}]"#)
        #expect(narrower.isCovered(by: granted))
        #expect(granted.isCovered(by: granted))
        for wider in [
            #"[{"type":"account_information","actions":["read","write"],"locations":["https://a.example"],"identifier":"acc-1"}]"#,
            #"[{"type":"payment_initiation","actions":["read"],"locations":["https://a.example"],"identifier":"acc-1"}]"#,
            #"[{"type":"account_information","actions":["read"],"identifier":"acc-1"}]"#,
            #"[{"type":"account_information","actions":["read"],"locations":["https://a.example"],"identifier":"acc-1","extra":1}]"#,
            #"[{"type":"account_information","actions":["read"],"locations":["https://a.example"],"identifier":"acc-2"}]"#,
        ] {
            #expect(!(try Self.parsed(wider)).isCovered(by: granted), "\(wider)")
        }
    }

    @Test(
        "when the token endpoint narrows then no request keeps the grant, a covered one replaces it, and a wider one or any on a grant without details throws"
    )
    func narrowed() throws {
        let client = Self.client(types: ["account_information"])
        let granted = try Self.parsed(#"[{"type":"account_information","actions":["read","list"]}]"#)
        #expect(try AuthorizationDetails.narrowed(nil, granted: granted, client: client) == granted)
        #expect(try AuthorizationDetails.narrowed(nil, granted: nil, client: client) == nil)
        let narrower = #"[{"type":"account_information","actions":["list"]}]"#
        #expect(try AuthorizationDetails.narrowed(narrower, granted: granted, client: client) == (try Self.parsed(narrower)))
        for (text, grant) in [(#"[{"type":"account_information","actions":["write"]}]"#, granted), (narrower, nil)] {
            do {
                _ = try AuthorizationDetails.narrowed(text, granted: grant, client: client)
                Issue.record("\(text) was granted")
            } catch {
                #expect(error.code == .invalidAuthorizationDetails)
            }
        }
    }
}
