import CustosCore
import CustosTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Validation of `POST /admin/oauth/clients` (issue 2 item 7; security cases 1A): every refusal
/// is a 400 SimpleResponse (413/415 for size and media type) whose message names the field, and
/// a refused request stores nothing.
@Suite("Admin API: create-client validation")
struct AdminClientValidationTests {
    // MARK: name

    @Test("when name is missing, blank or longer than 200 characters then create is refused naming name", arguments: TestDatabase.all)
    func invalidName(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            var missing = clientBody()
            missing.removeValue(forKey: "name")
            try await admin.expectCreateRejected(missing, naming: ["name"], "name missing")
            try await admin.expectCreateRejected(clientBody(["name": ""]), naming: ["name"], "name empty")
            try await admin.expectCreateRejected(clientBody(["name": "   \t "]), naming: ["name"], "name blank")
            try await admin.expectCreateRejected(
                clientBody(["name": String(repeating: "n", count: 201)]),
                naming: ["name"],
                "name of 201 characters"
            )
            // Boundary: exactly 200 characters is allowed.
            let data = try await admin.create(clientBody(["name": String(repeating: "n", count: 200)]))
            #expect((data["name"] as? String)?.count == 200)
        }
    }

    // MARK: redirect_uris

    @Test("when redirect_uris is missing or empty then create is refused naming redirect_uris", arguments: TestDatabase.all)
    func missingRedirectURIs(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            var missing = clientBody(["grant_types": ["authorization_code"]])
            missing.removeValue(forKey: "redirect_uris")
            try await admin.expectCreateRejected(missing, naming: ["redirect_uris"], "redirect_uris missing")
            try await admin.expectCreateRejected(
                clientBody(["redirect_uris": [String](), "grant_types": ["authorization_code"]]),
                naming: ["redirect_uris"],
                "redirect_uris empty"
            )
        }
    }

    @Test("when redirect_uris has 51 entries then create is refused, and 50 are accepted", arguments: TestDatabase.all)
    func tooManyRedirectURIs(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let fiftyOne = (0..<51).map { "https://app.example.com/cb\($0)" }
            try await admin.expectCreateRejected(clientBody(["redirect_uris": fiftyOne]), naming: ["redirect_uris"], "51 URIs")
            let data = try await admin.create(clientBody(["redirect_uris": Array(fiftyOne.prefix(50))]))
            #expect((data["redirect_uris"] as? [String])?.count == 50)
        }
    }

    @Test("when a redirect URI is not absolute then create is refused naming redirect_uris", arguments: TestDatabase.all)
    func relativeRedirectURIs(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let uris = [
                "/cb", "c.example/cb", "https:///cb", "https://", " https://c.example/cb", "https://c.example/cb ",
                "https://user:pw@c.example/cb",
            ]
            for uri in uris {
                try await admin.expectCreateRejected(
                    clientBody(["redirect_uris": [uri]]),
                    naming: ["redirect_uris"],
                    "redirect URI \"\(uri)\""
                )
            }
        }
    }

    @Test("when a redirect URI has a fragment, even an empty one, then create is refused", arguments: TestDatabase.all)
    func fragmentRedirectURIs(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            for uri in ["https://c.example/cb#frag", "https://c.example/cb#"] {
                try await admin.expectCreateRejected(
                    clientBody(["redirect_uris": ["https://c.example/ok", uri]]),
                    naming: ["redirect_uris"],
                    "redirect URI \(uri)"
                )
            }
        }
    }

    @Test("when a redirect URI uses javascript:, data:, vbscript: or file: in any letter case then create is refused", arguments: TestDatabase.all)
    func scriptSchemes(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let uris = [
                "javascript:alert(1)", "JavaScript:alert(1)", "JAVASCRIPT://c.example/%0Aalert(1)",
                "data:text/html,<script>alert(1)</script>", "DATA:text/html;base64,PHNjcmlwdD4=", "vbscript:msgbox(1)",
                "VbScript:msgbox(1)", "file:///etc/passwd", "FILE://localhost/etc/passwd",
            ]
            for uri in uris {
                for confidential in [true, false] {
                    try await admin.expectCreateRejected(
                        clientBody(["redirect_uris": [uri], "is_confidential": confidential]),
                        naming: ["redirect_uris"],
                        "redirect URI \(uri), confidential \(confidential)"
                    )
                }
            }
        }
    }

    @Test("when a redirect URI uses http on a non-loopback host then create is refused", arguments: TestDatabase.all)
    func httpNonLoopback(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let uris = [
                "http://c.example/cb", "HTTP://c.example/cb", "http://localhost.evil.example/cb", "http://127.0.0.1.evil.example/cb",
                "http://10.0.0.1/cb",
            ]
            for uri in uris {
                for confidential in [true, false] {
                    try await admin.expectCreateRejected(
                        clientBody(["redirect_uris": [uri], "is_confidential": confidential]),
                        naming: ["redirect_uris"],
                        "redirect URI \(uri), confidential \(confidential)"
                    )
                }
            }
        }
    }

    @Test(
        "when a redirect URI uses http on a loopback IP literal then create succeeds for a public client, and for a confidential one only with the setting",
        arguments: TestDatabase.all
    )
    func httpLoopbackAllowed(database: TestDatabase) async throws {
        try await withAdmin(database, configure: { $0.allowsLoopbackHTTPRedirects = true }) { admin in
            for uri in ["http://127.0.0.1/cb", "http://127.0.0.1:8765/cb", "http://[::1]:8080/cb"] {
                let response = try await admin.call(.post, "/oauth/clients", json: clientBody(["redirect_uris": [uri]]))
                #expect(response.status == .created, "\(uri): \(response.text)")
            }
            let native = try await admin.call(
                .post,
                "/oauth/clients",
                json: clientBody(["redirect_uris": ["http://127.0.0.1/cb"], "is_confidential": false])
            )
            #expect(native.status == .created, "public native client on loopback: \(native.text)")
        }
    }

    @Test("when a redirect URI contains a wildcard then create is refused", arguments: TestDatabase.all)
    func wildcards(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            for uri in ["https://*.c.example/cb", "https://c.example/*", "https://c.example*"] {
                try await admin.expectCreateRejected(
                    clientBody(["redirect_uris": [uri]]),
                    naming: ["redirect_uris"],
                    "redirect URI \(uri)"
                )
            }
        }
    }

    @Test("when a private-use scheme lacks a dot it is refused; with a dot it is accepted only for a public client", arguments: TestDatabase.all)
    func privateUseSchemes(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            for confidential in [false, true] {
                try await admin.expectCreateRejected(
                    clientBody(["redirect_uris": ["myapp:/cb"], "is_confidential": confidential]),
                    naming: ["redirect_uris"],
                    "myapp:/cb, confidential \(confidential)"
                )
            }
            try await admin.expectCreateRejected(
                clientBody(["redirect_uris": ["com.example.app:/cb"], "is_confidential": true]),
                naming: ["redirect_uris"],
                "com.example.app:/cb for a confidential client"
            )
            let data = try await admin.create(clientBody(["redirect_uris": ["com.example.app:/cb"], "is_confidential": false]))
            #expect(data["redirect_uris"] as? [String] == ["com.example.app:/cb"])
            #expect(data["client_auth_methods"] as? [String] == ["none"])
        }
    }

    @Test("when ten thousand redirect URIs or a 1 MB name are sent then create is refused with 400 or 413, never stored", arguments: TestDatabase.all)
    func hostileSizes(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let many = (0..<10_000).map { "https://c.example/cb\($0)" }
            try await admin.expectCreateRejected(clientBody(["redirect_uris": many]), naming: ["redirect_uris"], "10 000 URIs")
            let before = try await admin.clientTotal()
            let response = try await admin.call(
                .post,
                "/oauth/clients",
                json: clientBody(["name": String(repeating: "n", count: 1_000_000)])
            )
            #expect([400, 413].contains(Int(response.status.code)), "1 MB name: \(response.status)")
            if response.status == .badRequest { expectSimpleError(response, .badRequest, naming: ["name"], "1 MB name") }
            #expect(try await admin.clientTotal() == before)
        }
    }

    // MARK: grant types and authentication methods

    @Test("when grant_types holds an unknown grant, password or implicit then create is refused naming grant_types", arguments: TestDatabase.all)
    func unknownGrantTypes(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            for grant in ["password", "implicit", "token", "magic", "AUTHORIZATION_CODE", ""] {
                try await admin.expectCreateRejected(
                    clientBody(["grant_types": ["authorization_code", grant]]),
                    naming: ["grant_types"],
                    "grant \"\(grant)\""
                )
            }
        }
    }

    @Test("when a public client asks for client_credentials then create is refused", arguments: TestDatabase.all)
    func publicClientCredentials(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            try await admin.expectCreateRejected(
                clientBody(["is_confidential": false, "grant_types": ["client_credentials"]]),
                naming: ["grant_types"],
                "public + client_credentials"
            )
        }
    }

    @Test("when client_auth_methods holds an unknown method then create is refused naming client_auth_methods", arguments: TestDatabase.all)
    func unknownAuthMethod(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            for method in ["client_secret_magic", "basic", "CLIENT_SECRET_BASIC"] {
                try await admin.expectCreateRejected(
                    clientBody(["client_auth_methods": [method]]),
                    naming: ["client_auth_methods"],
                    "method \(method)"
                )
            }
        }
    }

    @Test("when a public client uses a secret method or a confidential client uses none then create is refused", arguments: TestDatabase.all)
    func inconsistentAuthMethods(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            for method in ["client_secret_basic", "client_secret_post", "client_secret_jwt"] {
                try await admin.expectCreateRejected(
                    clientBody(["is_confidential": false, "client_auth_methods": [method]]),
                    naming: ["client_auth_methods"],
                    "public client with \(method)"
                )
            }
            try await admin.expectCreateRejected(
                clientBody(["is_confidential": true, "client_auth_methods": ["none"]]),
                naming: ["client_auth_methods"],
                "confidential client with none"
            )
            try await admin.expectCreateRejected(
                clientBody(["client_auth_methods": ["client_secret_basic", "none"]]),
                naming: ["client_auth_methods"],
                "default (confidential) client with a secret method and none"
            )
        }
    }

    // MARK: keys

    @Test("when jwks is not a JWK Set then create is refused naming jwks", arguments: TestDatabase.all)
    func jwksNotASet(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            for jwks in ["x", "{}", "[]", #"{"keys":"nope"}"#, #"{"keys":[]}"#, SampleKeys.jwksText([["kty": "EC"]])] {
                try await admin.expectCreateRejected(
                    clientBody(["client_auth_methods": ["private_key_jwt"], "jwks": jwks]),
                    naming: ["jwks"],
                    "jwks \(jwks)"
                )
            }
        }
    }

    @Test("when jwks holds a private member (d or k) then create is refused naming jwks", arguments: TestDatabase.all)
    func jwksPrivateMembers(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            var ecPrivate = SampleKeys.ecPublicJWK()
            ecPrivate["d"] = SampleKeys.ecD
            let symmetric: [String: Any] = ["kty": "oct", "kid": "sym", "k": "GawgguFyGrWKav7AX4VKUg"]
            var withK = SampleKeys.ecPublicJWK(kid: "k")
            withK["k"] = "GawgguFyGrWKav7AX4VKUg"
            for (label, key) in [("EC key with d", ecPrivate), ("oct key with k", symmetric), ("EC key with k", withK)] {
                try await admin.expectCreateRejected(
                    clientBody(["client_auth_methods": ["private_key_jwt"], "jwks": SampleKeys.jwksText([key])]),
                    naming: ["jwks"],
                    label
                )
            }
        }
    }

    @Test("when jwks holds two keys with the same kid then create is refused naming jwks", arguments: TestDatabase.all)
    func jwksDuplicateKids(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let jwks = SampleKeys.jwksText([SampleKeys.ecPublicJWK(kid: "same"), SampleKeys.ecPublicJWK(kid: "same")])
            try await admin.expectCreateRejected(
                clientBody(["client_auth_methods": ["private_key_jwt"], "jwks": jwks]),
                naming: ["jwks"],
                "duplicate kid"
            )
        }
    }

    @Test("when both jwks and jwks_uri are sent then create is refused", arguments: TestDatabase.all)
    func jwksAndJWKSURI(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            try await admin.expectCreateRejected(
                clientBody([
                    "client_auth_methods": ["private_key_jwt"], "jwks": SampleKeys.validJWKS,
                    "jwks_uri": "https://app.example.com/jwks.json",
                ]),
                naming: ["jwks"],
                "jwks and jwks_uri"
            )
        }
    }

    @Test("when private_key_jwt comes without keys it is refused; with a public EC jwks it is created", arguments: TestDatabase.all)
    func privateKeyJWTNeedsKeys(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            try await admin.expectCreateRejected(
                clientBody(["client_auth_methods": ["private_key_jwt"]]),
                naming: ["jwks", "private_key_jwt"],
                "private_key_jwt without keys"
            )
            let data = try await admin.create(clientBody(["client_auth_methods": ["private_key_jwt"], "jwks": SampleKeys.validJWKS]))
            #expect(data["client_auth_methods"] as? [String] == ["private_key_jwt"])
            #expect(data["jwks"] as? String == SampleKeys.validJWKS)
            let viaURI = try await admin.create(
                clientBody(["client_auth_methods": ["private_key_jwt"], "jwks_uri": "https://app.example.com/jwks.json"])
            )
            #expect(viaURI["jwks_uri"] as? String == "https://app.example.com/jwks.json")
        }
    }

    // MARK: metadata URLs

    @Test(
        "when jwks_uri, logo_url, website, terms_url or privacy_policy is not an https URL then create is refused naming it",
        arguments: TestDatabase.all
    )
    func metadataURLsMustBeHTTPS(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let values = [
                "http://app.example.com/x", "javascript:alert(1)", "data:text/html,hi", "https://", "/relative", "ftp://app.example.com/x",
            ]
            for field in ["jwks_uri", "logo_url", "website", "terms_url", "privacy_policy"] {
                for value in values {
                    try await admin.expectCreateRejected(clientBody([field: value]), naming: [field], "\(field) = \(value)")
                }
            }
        }
    }

    // MARK: scopes

    @Test("when a scope contains a space or a quote then create is refused naming scopes", arguments: TestDatabase.all)
    func scopeSyntax(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            for scope in ["openid profile", "\"openid\"", "open\\id", "", "é"] {
                try await admin.expectCreateRejected(
                    clientBody(["scopes": ["openid", scope]]),
                    naming: ["scopes"],
                    "scope \(scope.debugDescription)"
                )
            }
        }
    }

    @Test(
        "when a scope is reserved (admin, account) then create is refused naming scopes; an unlisted API scope is accepted",
        arguments: TestDatabase.all
    )
    func reservedAndUnknownScopes(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            for scope in ["admin", "ADMIN", "account", "Account"] {
                try await admin.expectCreateRejected(clientBody(["scopes": ["openid", scope]]), naming: ["scopes"], "scope \(scope)")
            }
            let api = try await admin.create(clientBody(["scopes": ["openid", "payments:write"]]))
            #expect(api["scopes"] as? [String] == ["openid", "payments:write"])
            let data = try await admin.create(clientBody(["scopes": ["openid", "profile", "email", "offline_access"]]))
            #expect(data["scopes"] as? [String] == ["openid", "profile", "email", "offline_access"])
        }
    }

    // MARK: FAPI

    @Test("when fapi_profile is unknown then create is refused naming fapi_profile", arguments: TestDatabase.all)
    func unknownFAPIProfile(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            for profile in ["fapi3", "FAPI2", "fapi2-ms"] {
                try await admin.expectCreateRejected(
                    clientBody(["fapi_profile": profile, "client_auth_methods": ["private_key_jwt"], "jwks": SampleKeys.validJWKS]),
                    naming: ["fapi_profile"],
                    "fapi_profile \(profile)"
                )
            }
        }
    }

    @Test("when fapi2 is combined with client_secret_basic then create is refused", arguments: TestDatabase.all)
    func fapiWithSecret(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            try await admin.expectCreateRejected(
                clientBody(["fapi_profile": "fapi2", "client_auth_methods": ["client_secret_basic"]]),
                naming: ["client_auth_methods", "fapi_profile"],
                "fapi2 + client_secret_basic"
            )
            try await admin.expectCreateRejected(
                clientBody([
                    "fapi_profile": "fapi2", "client_auth_methods": ["private_key_jwt", "client_secret_post"],
                    "jwks": SampleKeys.validJWKS,
                ]),
                naming: ["client_auth_methods", "fapi_profile"],
                "fapi2 + private_key_jwt + client_secret_post"
            )
        }
    }

    @Test("when fapi2 is asked for a public client then create is refused", arguments: TestDatabase.all)
    func fapiPublicClient(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            try await admin.expectCreateRejected(
                clientBody(["fapi_profile": "fapi2", "is_confidential": false]),
                naming: ["fapi_profile", "is_confidential"],
                "fapi2 + public"
            )
        }
    }

    // MARK: body format

    @Test("when a member has the wrong JSON type then create is refused naming that member", arguments: TestDatabase.all)
    func wrongJSONTypes(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let cases: [(String, Any)] = [
                ("redirect_uris", "https://c/cb"), ("scopes", 123), ("is_confidential", "yes"), ("name", 42),
                ("grant_types", "client_credentials"), ("jwks", ["keys": [Any]()]),
            ]
            for (field, value) in cases {
                try await admin.expectCreateRejected(clientBody([field: value]), naming: [field], "\(field) = \(value)")
            }
        }
    }

    @Test("when the body is malformed JSON then create is refused with 400", arguments: TestDatabase.all)
    func malformedJSON(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            for raw in ["{", #"{"name":"A","redirect_uris":["https://c.example/cb"]"#, "not json", "[]", "null", #"{"name":"A",}"#] {
                try await admin.expectCreateRejected(rawBody: raw, naming: [], "body \(raw)")
            }
        }
    }

    @Test("when a JSON member name is repeated then create is refused with 400", arguments: TestDatabase.all)
    func duplicateKeys(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let bodies = [
                #"{"name":"A","name":"B","redirect_uris":["https://c.example/cb"]}"#,
                #"{"name":"A","redirect_uris":["https://c.example/cb"],"redirect_uris":["https://evil.example/cb"]}"#,
                #"{"name":"A","n\u0061me":"B","redirect_uris":["https://c.example/cb"]}"#,
            ]
            for raw in bodies {
                try await admin.expectCreateRejected(rawBody: raw, naming: [], "body \(raw)")
            }
        }
    }

    @Test("when the JSON is nested 10 000 levels deep then create is refused with 400 or 413, not 500", arguments: TestDatabase.all)
    func deepNesting(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let depth = 10_000
            for raw in [
                #"{"name":"A","redirect_uris":["https://c.example/cb"],"scopes":"# + String(repeating: "[", count: depth)
                    + String(repeating: "]", count: depth) + "}",
                String(repeating: #"{"a":"#, count: depth) + "1" + String(repeating: "}", count: depth),
            ] {
                let before = try await admin.clientTotal()
                let response = try await admin.call(.post, "/oauth/clients", rawBody: raw)
                #expect([400, 413].contains(Int(response.status.code)), "nested body: \(response.status) \(response.text.prefix(200))")
                #expect((try? response.json()["code"] as? Int) == Int(response.status.code))
                #expect(try await admin.clientTotal() == before)
            }
        }
    }

    @Test("when the body is larger than 1 MiB then create is refused with 413", arguments: TestDatabase.all)
    func bodyTooLarge(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let raw = #"{"name":""# + String(repeating: "a", count: (1 << 20) + 1) + #"","redirect_uris":["https://c.example/cb"]}"#
            try await admin.expectCreateRejected(rawBody: raw, status: .contentTooLarge, naming: [], "body over 1 MiB")
        }
    }

    @Test("when the content type is not application/json then create is refused with 415", arguments: TestDatabase.all)
    func wrongContentType(database: TestDatabase) async throws {
        try await withAdmin(database) { admin in
            let raw = #"{"name":"A","redirect_uris":["https://c.example/cb"]}"#
            for type in ["text/plain", "application/x-www-form-urlencoded", "application/xml"] {
                try await admin.expectCreateRejected(
                    rawBody: raw,
                    contentType: type,
                    status: .unsupportedMediaType,
                    naming: [],
                    "content type \(type)"
                )
            }
            // The same body as application/json (with a charset parameter) is accepted.
            let ok = try await admin.call(.post, "/oauth/clients", rawBody: raw, contentType: "application/json; charset=utf-8")
            #expect(ok.status == .created, "\(ok.text)")
        }
    }
}
