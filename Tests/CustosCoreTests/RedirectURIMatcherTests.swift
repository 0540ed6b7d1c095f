import CustosCore
import Testing

/// Redirect URI matching at the authorization endpoint (pinned rule 4; RFC 9700 §4.1.3; RFC 8252
/// §7.3): exact string comparison, except that loopback IP literals of public native clients
/// match on any port.
@Suite("Redirect URI matching")
struct RedirectURIMatcherTests {
    static let registered = ["https://app.example.com/cb"]

    @Test("when the presented URI is exactly a registered one then it matches, for any client")
    func exact() {
        #expect(RedirectURIMatcher.matches("https://app.example.com/cb", registered: Self.registered, isPublicClient: false))
        #expect(RedirectURIMatcher.matches("https://app.example.com/cb", registered: Self.registered, isPublicClient: true))
        #expect(
            RedirectURIMatcher.matches(
                "https://app.example.com/two",
                registered: ["https://app.example.com/one", "https://app.example.com/two"],
                isPublicClient: false
            )
        )
        #expect(RedirectURIMatcher.matches("https://app.example.com/cb?a=1", registered: ["https://app.example.com/cb?a=1"], isPublicClient: false))
    }

    @Test(
        "when the presented URI is a near-miss then it does not match",
        arguments: [
            "https://app.example.com/cb/", "https://APP.example.com/cb", "https://app.example.com/CB", "HTTPS://app.example.com/cb",
            "https://app.example.com/cb?x=1", "https://app.example.com/cb?", "https://app.example.com/cb#", "https://app.example.com/cb#x",
            "https://app.example.com/cb/../cb", "https://app.example.com/x/../cb", "https://app.example.com/x/%2e%2e/cb",
            "https://app.example.com/%63b", "https://app.example.com@evil.example/cb", "https://evil.example@app.example.com/cb",
            "https://app.example.com:8443/cb", "https://app.example.com:443/cb", "http://app.example.com/cb",
            "https://app.example.com.evil.example/cb", "https://app.example.com/cb ", " https://app.example.com/cb", "",
            "https://app.example.com/cb\u{0}", "//app.example.com/cb", "/cb",
        ]
    )
    func nearMisses(presented: String) {
        #expect(!RedirectURIMatcher.matches(presented, registered: Self.registered, isPublicClient: false))
        #expect(!RedirectURIMatcher.matches(presented, registered: Self.registered, isPublicClient: true))
    }

    @Test(
        "when the registered URI has a query then a different or longer query does not match",
        arguments: [
            "https://app.example.com/cb?a=2", "https://app.example.com/cb?a=1&b=2", "https://app.example.com/cb", "https://app.example.com/cb?A=1",
        ]
    )
    func registeredQuery(presented: String) {
        #expect(!RedirectURIMatcher.matches(presented, registered: ["https://app.example.com/cb?a=1"], isPublicClient: false))
    }

    @Test(
        "when a public client registered a loopback IP literal then any port matches",
        arguments: [
            ("http://127.0.0.1/cb", "http://127.0.0.1:51234/cb"), ("http://127.0.0.1/cb", "http://127.0.0.1:1/cb"),
            ("http://127.0.0.1:8080/cb", "http://127.0.0.1:9090/cb"), ("http://127.0.0.1:8080/cb", "http://127.0.0.1/cb"),
            ("http://[::1]/cb", "http://[::1]:51234/cb"), ("http://[::1]:80/cb", "http://[::1]:4000/cb"),
        ]
    )
    func loopbackAnyPort(registered: String, presented: String) {
        #expect(RedirectURIMatcher.matches(presented, registered: [registered], isPublicClient: true), "\(presented) vs \(registered)")
    }

    @Test("when a confidential client registered a loopback URI then another port does not match")
    func loopbackConfidential() {
        #expect(!RedirectURIMatcher.matches("http://127.0.0.1:51234/cb", registered: ["http://127.0.0.1/cb"], isPublicClient: false))
        #expect(!RedirectURIMatcher.matches("http://[::1]:51234/cb", registered: ["http://[::1]/cb"], isPublicClient: false))
        #expect(RedirectURIMatcher.matches("http://127.0.0.1/cb", registered: ["http://127.0.0.1/cb"], isPublicClient: false))
    }

    @Test(
        "when a public client's loopback URI differs in anything but the port then it does not match",
        arguments: [
            "http://127.0.0.1:51234/cb/", "http://127.0.0.1:51234/other", "http://127.0.0.1:51234/cb?x=1", "http://127.0.0.2:51234/cb",
            "http://localhost:51234/cb", "https://127.0.0.1:51234/cb", "http://127.0.0.1:51234@evil.example/cb",
            "http://evil.example@127.0.0.1:51234/cb", "http://127.0.0.1:51234/cb#x", "http://[::1]:51234/cb", "http://127.1:51234/cb",
            "http://0x7f.0.0.1:51234/cb", "http://127.0.0.1:51234/CB",
        ]
    )
    func loopbackOtherDifferences(presented: String) {
        #expect(!RedirectURIMatcher.matches(presented, registered: ["http://127.0.0.1/cb"], isPublicClient: true), "\(presented)")
    }

    @Test("when localhost (a name, not an IP literal) is registered then only the exact port matches")
    func localhostIsNotALiteral() {
        #expect(!RedirectURIMatcher.matches("http://localhost:51234/cb", registered: ["http://localhost/cb"], isPublicClient: true))
        #expect(RedirectURIMatcher.matches("http://localhost/cb", registered: ["http://localhost/cb"], isPublicClient: true))
    }

    @Test("when a non-loopback URI of a public client changes port then it does not match")
    func publicNonLoopback() {
        #expect(!RedirectURIMatcher.matches("https://app.example.com:8443/cb", registered: Self.registered, isPublicClient: true))
        #expect(!RedirectURIMatcher.matches("com.example.app:/cb2", registered: ["com.example.app:/cb"], isPublicClient: true))
    }
}
