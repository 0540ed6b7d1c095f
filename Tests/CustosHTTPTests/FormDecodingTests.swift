import Testing

@testable import CustosHTTP

/// The byte-level `application/x-www-form-urlencoded` decoding of the protocol endpoints
/// (replacing Foundation's `removingPercentEncoding`, which it must match).
@Suite("Form decoding")
struct FormDecodingTests {
    @Test("when values carry +, escapes, UTF-8 and reserved characters then they decode as the HTML form rules say")
    func decodes() throws {
        #expect(FormParameters.decode("a+b%20c") == "a b c")
        #expect(FormParameters.decode("%2B%26%3D%25") == "+&=%")
        #expect(FormParameters.decode("caf%C3%A9") == "café")
        #expect(FormParameters.decode("plain") == "plain")
        #expect(FormParameters.decode("") == "")
        let parsed = try FormParameters.parse("grant_type=client_credentials&scope=a+b&client_id=x%3Ay")
        #expect(parsed == ["grant_type": "client_credentials", "scope": "a b", "client_id": "x:y"])
    }

    @Test("when an escape is malformed or the bytes are not UTF-8 then decoding fails")
    func rejects() {
        for text in ["%", "%4", "%G1", "a%zz", "%C3%28", "%FF", "%C3"] {
            #expect(FormParameters.decode(Substring(text)) == nil, "\(text)")
        }
    }
}
