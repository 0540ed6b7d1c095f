import CustosCore
import CustosTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Who may use dynamic registration (RFC 7591 §3): open registration switched off, an
/// initial access token required, the per-address hourly rate, and the OpenID Connect
/// Registration §5 rule that a sector_identifier_uri is an https URL listing the redirect URIs.
@Suite("OpenID: registration policy")
struct RegistrationPolicyTests {
    static let initialToken = "initial-token-0123456789"

    /// Expects a JSON error body (`error` a non-empty string) and no client in it.
    static func expectJSONError(
        _ response: TestResponse,
        _ status: HTTPResponse.Status,
        _ comment: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(response.status == status, "\(comment): \(response.status) \(response.text)", sourceLocation: sourceLocation)
        #expect(
            response.headers[.contentType]?.hasPrefix("application/json") == true,
            "\(comment): \(response.headers[.contentType] ?? "no type")",
            sourceLocation: sourceLocation
        )
        #expect(response.string("error")?.isEmpty == false, "\(comment): \(response.text)", sourceLocation: sourceLocation)
        #expect(response.string("client_id") == nil, "\(comment): a client was returned: \(response.text)", sourceLocation: sourceLocation)
    }

    // MARK: Switched off

    @Test(
        "when dynamic registration is disabled then POST /oauth/register is 403 with a JSON error and nothing is registered",
        arguments: TestDatabase.all
    )
    func disabled(database: TestDatabase) async throws {
        try await withAdmin(database, configure: { $0.dynamicRegistration.enabled = false }) { admin in
            let before = try await admin.clientTotal()
            let response = try await Registration.post(admin.http)
            Self.expectJSONError(response, .forbidden, "registration disabled")
            #expect(response.string("registration_access_token") == nil)
            // Not even with a bearer token of some kind.
            Self.expectJSONError(try await Registration.post(admin.http, bearer: admin.token), .forbidden, "disabled, with the admin token")
            #expect(try await admin.clientTotal() == before, "a client was stored")
        }
    }

    // MARK: Initial access token

    @Test("when an initial access token is required then no bearer is 401, a wrong one is 401, the right one is 201", arguments: TestDatabase.all)
    func initialAccessToken(database: TestDatabase) async throws {
        try await withAdmin(database, configure: { $0.dynamicRegistration.initialAccessToken = Self.initialToken }) { admin in
            let before = try await admin.clientTotal()
            for (bearer, comment) in [(nil, "no bearer"), ("initial-token-0123456788", "a wrong bearer"), ("", "an empty bearer")]
                as [(String?, String)]
            {
                let response = try await Registration.post(admin.http, bearer: bearer)
                Self.expectJSONError(response, .unauthorized, comment)
                #expect(
                    response.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true,
                    "\(comment): RFC 6750 §3 challenge: \(response.headers[.wwwAuthenticate] ?? "none")"
                )
            }
            // The token in another scheme is not a bearer token.
            let basic = try await admin.http.execute(
                uri: OpenID.registerPath,
                method: .post,
                headers: [.contentType: "application/json", .authorization: "Basic " + Data("x:\(Self.initialToken)".utf8).base64EncodedString()],
                body: ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: Registration.metadata()))
            )
            Self.expectJSONError(basic, .unauthorized, "Basic instead of Bearer")
            #expect(try await admin.clientTotal() == before, "a refused registration stored a client")

            let response = try await Registration.post(admin.http, bearer: Self.initialToken)
            #expect(response.status == .created, "\(response.status) \(response.text)")
            let json = try response.json()
            let clientID = try #require(json["client_id"] as? String)
            let token = try #require(json["registration_access_token"] as? String)
            #expect(token != Self.initialToken, "the registration access token is a new credential")
            #expect(try await admin.clientTotal() == before + 1)
            // The initial access token is not the client's registration access token.
            let path = OpenID.registerPath + "/" + clientID
            #expect(try await Registration.manage(admin.http, .get, path, token: Self.initialToken).status == .unauthorized)
            #expect(try await Registration.manage(admin.http, .get, path, token: token).status == .ok)
        }
    }

    // MARK: Rate

    @Test(
        "when registrationsPerHourPerIP is 2 then the third is 429 rate_limit_exceeded with Retry-After, and an hour later two more are allowed",
        arguments: TestDatabase.all
    )
    func rateLimit(database: TestDatabase) async throws {
        try await withAdmin(database, configure: { $0.dynamicRegistration.registrationsPerHourPerIP = 2 }) { admin in
            for index in 1...2 {
                let response = try await Registration.post(admin.http, Registration.metadata(["client_name": "App \(index)"]))
                #expect(response.status == .created, "registration \(index): \(response.status) \(response.text)")
            }
            let before = try await admin.clientTotal()
            for attempt in 3...4 {
                let limited = try await Registration.post(admin.http, Registration.metadata(["client_name": "App \(attempt)"]))
                expectRegistrationError(limited, .tooManyRequests, error: "rate_limit_exceeded", "registration \(attempt)")
                let retryAfter = try #require(limited.headers[.retryAfter].flatMap { Int($0) }, "no numeric Retry-After: \(limited.headers)")
                #expect(retryAfter > 0 && retryAfter <= 3_600, "Retry-After \(retryAfter)")
            }
            #expect(try await admin.clientTotal() == before, "a refused registration stored a client")

            admin.server.clock.advance(by: 3_601)
            // The refused attempts did not count: the new hour allows two again, then refuses.
            for index in 1...2 {
                let response = try await Registration.post(admin.http, Registration.metadata(["client_name": "Next hour \(index)"]))
                #expect(response.status == .created, "an hour later, registration \(index): \(response.status) \(response.text)")
            }
            let again = try await Registration.post(admin.http, Registration.metadata(["client_name": "Next hour 3"]))
            expectRegistrationError(again, .tooManyRequests, error: "rate_limit_exceeded", "third in the new hour")
        }
    }

    @Test("when the hour is a sliding window then a slot frees an hour after the registration that used it", arguments: TestDatabase.all)
    func rateLimitSlidingWindow(database: TestDatabase) async throws {
        try await withAdmin(database, configure: { $0.dynamicRegistration.registrationsPerHourPerIP = 2 }) { admin in
            let clock = admin.server.clock
            #expect(try await Registration.post(admin.http).status == .created)
            clock.advance(by: 1_800)
            #expect(try await Registration.post(admin.http).status == .created)
            expectRegistrationError(try await Registration.post(admin.http), .tooManyRequests, error: "rate_limit_exceeded", "third at 30 min")
            clock.advance(by: 1_801)
            // The first registration is now more than an hour old; the second is not.
            #expect(try await Registration.post(admin.http).status == .created, "the first slot freed at 60 min")
            expectRegistrationError(
                try await Registration.post(admin.http),
                .tooManyRequests,
                error: "rate_limit_exceeded",
                "the second slot is still used"
            )
        }
    }

    // MARK: sector_identifier_uri

    @Test(
        "when sector_identifier_uri is http rather than https then 400 invalid_client_metadata, nothing is fetched and nothing registered",
        arguments: TestDatabase.all
    )
    func insecureSectorIdentifier(database: TestDatabase) async throws {
        let fetcher = RecordingFetcher()
        try await withFetcher(database, fetcher: fetcher) { flow in
            let uri = "http://app.example.com/sector.json"
            fetcher.serve(String(decoding: try JSONSerialization.data(withJSONObject: [Flow.redirectURI]), as: UTF8.self), at: uri)
            let admin = AdminSession(http: flow.http, token: try await flow.http.adminToken(), server: flow.server)
            let before = try await admin.clientTotal()
            let response = try await Registration.post(
                flow.http,
                Registration.metadata(["subject_type": "pairwise", "sector_identifier_uri": uri])
            )
            expectRegistrationError(response, error: "invalid_client_metadata", "http sector_identifier_uri")
            #expect(fetcher.requested.isEmpty, "the server fetched \(fetcher.requested)")
            #expect(try await admin.clientTotal() == before)
        }
    }

    @Test(
        "when sector_identifier_uri is https and lists every redirect URI then 201; when it omits one then 400 invalid_client_metadata",
        arguments: TestDatabase.all
    )
    func httpsSectorIdentifier(database: TestDatabase) async throws {
        let fetcher = RecordingFetcher()
        try await withFetcher(database, fetcher: fetcher) { flow in
            let uris = ["https://a.example.com/cb", "https://b.example.net/cb"]
            let listing = "https://app.example.com/sector.json"
            let partial = "https://app.example.com/partial.json"
            fetcher.serve(String(decoding: try JSONSerialization.data(withJSONObject: uris), as: UTF8.self), at: listing)
            fetcher.serve(String(decoding: try JSONSerialization.data(withJSONObject: [uris[0]]), as: UTF8.self), at: partial)

            let missing = try await Registration.post(
                flow.http,
                Registration.metadata(["subject_type": "pairwise", "redirect_uris": uris, "sector_identifier_uri": partial])
            )
            expectRegistrationError(missing, error: "invalid_client_metadata", "a redirect URI missing from the sector document")
            #expect(fetcher.requested == [partial])

            let registered = try await Registration.register(
                flow.http,
                ["subject_type": "pairwise", "redirect_uris": uris, "sector_identifier_uri": listing]
            )
            #expect(fetcher.requested == [partial, listing])
            #expect(!registered.clientID.isEmpty)
        }
    }
}
