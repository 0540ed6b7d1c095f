import CustosCore
import Foundation
import Testing

/// `Confirmation` as the RFC 7800 `cnf` object and the one rule for `token_type`; the
/// `TokenAttributes` JSON a token's record stores.
@Suite("Sender constraint: confirmation and token attributes")
struct ConfirmationTests {
    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    @Test("when a confirmation is encoded then it is the cnf object of RFC 9449 §6.1 or RFC 8705 §3.1, and decodes back")
    func cnfObject() throws {
        #expect(try Self.json(CustosCore.Confirmation.jkt("abc")) == #"{"jkt":"abc"}"#)
        #expect(try Self.json(CustosCore.Confirmation.x5tS256("def")) == #"{"x5t#S256":"def"}"#)
        for confirmation in [CustosCore.Confirmation.jkt("abc"), .x5tS256("def")] {
            #expect(try JSONDecoder().decode(CustosCore.Confirmation.self, from: Data(try Self.json(confirmation).utf8)) == confirmation)
        }
    }

    @Test("when a cnf object carries no known member then it does not decode (never read as unbound)")
    func unknownMember() {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(CustosCore.Confirmation.self, from: Data(#"{"jwk":{}}"#.utf8)) }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(TokenAttributes.self, from: Data(#"{"cnf":{}}"#.utf8))
        }
    }

    @Test("when token_type is derived then DPoP binding gives DPoP, certificate binding and none give Bearer")
    func tokenType() {
        #expect(CustosCore.Confirmation.tokenType(for: .jkt("k")) == "DPoP")
        #expect(CustosCore.Confirmation.tokenType(for: .x5tS256("c")) == "Bearer")
        #expect(CustosCore.Confirmation.tokenType(for: nil) == "Bearer")
        #expect(TokenAttributes(confirmation: .jkt("k")).tokenType == "DPoP")
    }

    @Test("when attributes are encoded then absent members are omitted and {} reads as empty attributes")
    func attributesJSON() throws {
        #expect(try Self.json(TokenAttributes()) == "{}")
        #expect(try JSONDecoder().decode(TokenAttributes.self, from: Data("{}".utf8)) == TokenAttributes())
        let full = TokenAttributes(
            audience: ["https://api.example"],
            confirmation: .jkt("k"),
            actor: TokenAttributes.Actor(subject: "svc", clientID: "cl_1")
        )
        #expect(try Self.json(full) == #"{"act":{"client_id":"cl_1","sub":"svc"},"aud":["https://api.example"],"cnf":{"jkt":"k"}}"#)
        #expect(try JSONDecoder().decode(TokenAttributes.self, from: Data(try Self.json(full).utf8)) == full)
    }
}
