import CustosCore
import Testing

@Suite("Redirect URI registration policy")
struct RedirectURIPolicyTests {
    @Test(
        "when an https URI with a host is registered then it is accepted for any client",
        arguments: [
            "https://app.example.com/cb", "https://app.example.com:8443/cb?x=1", "HTTPS://App.Example.com/cb",
            "https://127.0.0.1/cb", "https://xn--bcher-kva.example/cb",
        ]
    )
    func acceptsHTTPS(uri: String) {
        #expect(RedirectURIPolicy.registrationProblem(uri, isConfidential: true) == nil)
        #expect(RedirectURIPolicy.registrationProblem(uri, isConfidential: false) == nil)
    }

    @Test(
        "when a URI has a fragment then it is refused",
        arguments: [
            "https://app.example.com/cb#", "https://app.example.com/cb#section", "http://127.0.0.1/cb#x",
            "com.example.app:/cb#x",
        ]
    )
    func refusesFragment(uri: String) throws {
        let problem = try #require(RedirectURIPolicy.registrationProblem(uri, isConfidential: false))
        #expect(problem.contains("fragment"))
    }

    @Test(
        "when a URI uses javascript, data, vbscript or file in any letter case then it is refused",
        arguments: [
            "javascript:alert(1)", "JavaScript:alert(1)", "JAVASCRIPT://app.example.com/%0aalert(1)",
            "data:text/html,<script>", "DATA:text/html;base64,PHNjcmlwdD4", "vbscript:msgbox(1)", "VBScript:msgbox",
            "file:///etc/passwd", "FILE://localhost/etc/passwd", "File:///C:/Windows",
        ]
    )
    func refusesForbiddenSchemes(uri: String) {
        #expect(RedirectURIPolicy.registrationProblem(uri, isConfidential: true) != nil)
        #expect(RedirectURIPolicy.registrationProblem(uri, isConfidential: false) != nil)
    }

    @Test(
        "when http is used on a loopback IP literal then a public client may, a confidential one only with the setting",
        arguments: ["http://127.0.0.1/cb", "http://127.0.0.1:8080/cb", "http://[::1]/cb", "http://[::1]:53123/cb"]
    )
    func acceptsLoopbackHTTP(uri: String) {
        #expect(RedirectURIPolicy.registrationProblem(uri, isConfidential: false) == nil)
        #expect(RedirectURIPolicy.registrationProblem(uri, isConfidential: true) != nil)
        #expect(RedirectURIPolicy.registrationProblem(uri, isConfidential: true, allowsConfidentialLoopbackHTTP: true) == nil)
    }

    @Test(
        "when http is used on localhost then it is refused, with or without the setting (OAuth 2.1 §8.4.2)",
        arguments: ["http://localhost/cb", "http://localhost:3000/cb", "http://LOCALHOST:9/cb"]
    )
    func refusesLocalhost(uri: String) {
        for confidential in [false, true] {
            let problem = RedirectURIPolicy.registrationProblem(uri, isConfidential: confidential, allowsConfidentialLoopbackHTTP: true)
            #expect(problem?.contains("localhost") == true, "\(uri): \(problem ?? "accepted")")
        }
    }

    @Test(
        "when http is used on any other host then it is refused",
        arguments: [
            "http://app.example.com/cb", "http://10.0.0.1/cb", "http://192.168.1.10:8080/cb",
            "http://127.0.0.1.nip.io/cb", "http://localhost.example.com/cb", "http://[::2]/cb", "http://0.0.0.0/cb",
        ]
    )
    func refusesNonLoopbackHTTP(uri: String) throws {
        let problem = try #require(RedirectURIPolicy.registrationProblem(uri, isConfidential: false))
        #expect(problem.contains("loopback"))
    }

    @Test(
        "when a URI contains a wildcard then it is refused",
        arguments: ["https://*.example.com/cb", "https://app.example.com/*"]
    )
    func refusesWildcards(uri: String) throws {
        let problem = try #require(RedirectURIPolicy.registrationProblem(uri, isConfidential: true))
        #expect(problem.contains("wildcard"))
    }

    @Test(
        "when a URI carries user information then it is refused",
        arguments: [
            "https://user@app.example.com/cb", "https://user:pass@app.example.com/cb",
            "http://app.example.com@127.0.0.1/cb", "https://:pw@app.example.com/cb",
        ]
    )
    func refusesUserInfo(uri: String) throws {
        let problem = try #require(RedirectURIPolicy.registrationProblem(uri, isConfidential: true))
        #expect(problem.contains("user information"))
    }

    @Test(
        "when a URI is not absolute, has no host, or contains spaces or controls then it is refused",
        arguments: [
            "", "/cb", "cb", "app.example.com/cb", "//app.example.com/cb", "https:/app.example.com/cb", "https://",
            "https:///cb", "https://app.example.com/c b", "https://app.example.com/cb\n", "https://app.example.com/\u{7F}",
            "https://app.exämple.com/cb", "1https://app.example.com/cb",
        ]
    )
    func refusesNonAbsolute(uri: String) {
        #expect(RedirectURIPolicy.registrationProblem(uri, isConfidential: true) != nil)
    }

    @Test("when a URI is longer than the maximum then it is refused")
    func refusesTooLong() {
        let base = "https://app.example.com/"
        let exact = base + String(repeating: "a", count: RedirectURIPolicy.maximumLength - base.count)
        #expect(RedirectURIPolicy.registrationProblem(exact, isConfidential: true) == nil)
        #expect(RedirectURIPolicy.registrationProblem(exact + "a", isConfidential: true) != nil)
    }

    @Test("when a private-use scheme has a dot and the client is public then it is accepted")
    func acceptsPrivateUseForPublic() {
        #expect(RedirectURIPolicy.registrationProblem("com.example.app:/oauth2redirect", isConfidential: false) == nil)
        #expect(RedirectURIPolicy.registrationProblem("com.example.app://callback", isConfidential: false) == nil)
    }

    @Test("when a private-use scheme has no dot then it is refused even for a public client")
    func refusesPrivateUseWithoutDot() throws {
        let problem = try #require(RedirectURIPolicy.registrationProblem("myapp://callback", isConfidential: false))
        #expect(problem.contains("dot"))
    }

    @Test("when a confidential client registers a private-use scheme then it is refused")
    func refusesPrivateUseForConfidential() throws {
        let problem = try #require(RedirectURIPolicy.registrationProblem("com.example.app:/cb", isConfidential: true))
        #expect(problem.contains("public"))
    }

    @Test(
        "when an origin is derived then scheme and host are lowercased and default ports dropped",
        arguments: [
            ("https://app.example.com/cb", "https://app.example.com"),
            ("https://App.Example.COM:443/cb?x=1", "https://app.example.com"),
            ("HTTPS://app.example.com:8443/cb", "https://app.example.com:8443"),
            ("http://127.0.0.1:80/cb", "http://127.0.0.1"),
            ("http://127.0.0.1:8080/cb", "http://127.0.0.1:8080"),
            ("http://localhost:3000/", "http://localhost:3000"),
            ("http://[::1]:8080/cb", "http://[::1]:8080"),
            ("https://app.example.com:80/cb", "https://app.example.com:80"),
            ("http://app.example.com:443/cb", "http://app.example.com:443"),
        ]
    )
    func origin(uri: String, expected: String) {
        #expect(RedirectURIPolicy.origin(of: uri) == expected)
    }

    @Test(
        "when a URI is not http(s) with a host then it has no web origin",
        arguments: ["com.example.app:/cb", "urn:ietf:wg:oauth:2.0:oob", "/relative", "https://"]
    )
    func noOrigin(uri: String) {
        #expect(RedirectURIPolicy.origin(of: uri) == nil)
    }
}
