import Testing

@testable import CustosHTTP

/// `AcceptHeader`: RFC 9110 §12.5.1 proactive negotiation between the types an endpoint offers.
@Suite("Accept header negotiation")
struct AcceptHeaderTests {
    static let offered = ["application/json", "application/token-introspection+jwt"]

    @Test("when a weight is not an RFC 9110 §12.4.2 qvalue then its element is ignored")
    func invalidWeights() {
        for weight in ["2", "1.5", "0.1234", "-0", ".5", "0,5", "abc", "1.0001", ""] {
            let accept = AcceptHeader("application/token-introspection+jwt;q=\(weight), application/json;q=0.1")
            #expect(accept.preferred(among: Self.offered) == "application/json", "q=\(weight)")
        }
        for weight in ["0.5", "1", "1.", "1.000", "0.001"] {
            let accept = AcceptHeader("application/token-introspection+jwt;q=\(weight), application/json;q=0")
            #expect(accept.preferred(among: Self.offered) == "application/token-introspection+jwt", "q=\(weight)")
        }
    }

    @Test("when elements are not media ranges then they are ignored, and a header of nothing else is as if absent")
    func malformedElements() {
        for header in ["garbage", ",,", "*/json", "application", "/json", "application/"] {
            #expect(AcceptHeader(header).preferred(among: Self.offered) == "application/json", "\(header)")
        }
        #expect(AcceptHeader("garbage, application/token-introspection+jwt").preferred(among: Self.offered) == Self.offered[1])
    }

    @Test("when the most specific range refuses a type then a wildcard cannot bring it back")
    func specificityDecides() {
        #expect(AcceptHeader("application/*;q=0, */*").preferred(among: Self.offered) == nil)
        #expect(AcceptHeader("application/*;q=0, application/json").preferred(among: Self.offered) == "application/json")
        #expect(AcceptHeader("text/*").preferred(among: Self.offered) == nil)
    }
}
