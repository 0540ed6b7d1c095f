import CustosCore
import Testing

@Suite("Scopes")
struct ScopeTests {
    @Test("when a scope token uses only %x21 / %x23-5B / %x5D-7E then it is valid")
    func validCharacters() {
        var allowed: [UInt8] = [0x21]
        allowed += Array(0x23...0x5B)
        allowed += Array(0x5D...0x7E)
        for byte in allowed {
            #expect(ScopeSyntax.isValidToken(String(decoding: [byte], as: UTF8.self)), "byte \(byte)")
        }
        #expect(ScopeSyntax.isValidToken("https://api.example.com/read"))
        #expect(ScopeSyntax.isValidToken("payments:read"))
    }

    @Test("when a scope token is empty or has a space, quote, backslash, control or non-ASCII character then it is invalid")
    func invalidCharacters() {
        #expect(!ScopeSyntax.isValidToken(""))
        for byte: UInt8 in [0x00, 0x09, 0x0A, 0x1F, 0x20, 0x22, 0x5C, 0x7F] {
            #expect(!ScopeSyntax.isValidToken("a" + String(decoding: [byte], as: UTF8.self)), "byte \(byte)")
        }
        #expect(!ScopeSyntax.isValidToken("caf\u{E9}"))
        #expect(!ScopeSyntax.isValidToken("\u{1F600}"))
    }

    @Test("when a scope string is parsed then it splits on spaces, drops empties and repeats, and refuses bad tokens")
    func parse() {
        #expect(ScopeSyntax.parse("openid profile") == ["openid", "profile"])
        #expect(ScopeSyntax.parse("  openid   profile openid ") == ["openid", "profile"])
        #expect(ScopeSyntax.parse("") == [])
        #expect(ScopeSyntax.parse("openid \"profile\"") == nil)
        #expect(ScopeSyntax.parse("openid\tprofile") == nil)
    }

    @Test("when the registry is asked then standard and configured scopes are registrable")
    func registryKnown() {
        let registry = ScopeRegistry(additional: ["payments:read"])
        for scope in ScopeRegistry.standard + ["payments:read"] {
            #expect(registry.isRegistrable(scope), "\(scope)")
        }
    }

    @Test(
        "when the registry is asked for admin, account or a malformed scope then it refuses, even if configured; an unlisted well-formed scope is registrable"
    )
    func registryRefuses() {
        let registry = ScopeRegistry(additional: ["admin", "account", "payments:read"])
        #expect(!registry.isRegistrable("admin"))
        #expect(!registry.isRegistrable("account"))
        #expect(registry.registrationProblem("account", firstParty: true) == nil)
        #expect(registry.registrationProblem("admin", firstParty: true) != nil)
        #expect(!registry.isRegistrable(""))
        #expect(!registry.isRegistrable("a\"b"))
        // Rule 3: the admin API names any API scope; the catalog is for display only.
        #expect(registry.isRegistrable("payments:write"))
        #expect(!registry.known.contains("admin") && !registry.known.contains("account"))
    }

    @Test("when no scope is requested then the client's scopes are granted")
    func requestAbsent() throws {
        #expect(try ScopeRequest.resolve(nil, allowed: ["openid", "profile"]) == ["openid", "profile"])
    }

    @Test("when a subset is requested then exactly that subset is granted")
    func requestSubset() throws {
        #expect(try ScopeRequest.resolve("profile", allowed: ["openid", "profile"]) == ["profile"])
        #expect(try ScopeRequest.resolve("profile openid profile", allowed: ["openid", "profile"]) == ["profile", "openid"])
    }

    @Test(
        "when a scope beyond the client's or a malformed scope is requested then invalid_scope is thrown",
        arguments: ["email", "openid email", "admin", "openid \"x\"", "OpenID"]
    )
    func requestInvalid(requested: String) throws {
        let error = try #require(throws: OAuthError.self) {
            try ScopeRequest.resolve(requested, allowed: ["openid", "profile"])
        }
        #expect(error.code == .invalidScope)
    }
}
