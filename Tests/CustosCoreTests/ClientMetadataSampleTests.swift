import CustosCore
import Foundation
import Testing

@Suite("Client metadata: the documentation sample")
struct ClientMetadataSampleTests {
    @Test("when the documentation sample is encoded then every coding key of ClientMetadata is present")
    func setsEveryMember() throws {
        let members = try ClientMetadata.documentationSample.members()
        let keys = Set(ClientMetadata.CodingKeys.allCases.map(\.rawValue))
        #expect(keys.subtracting(members.keys).sorted() == [], "a member the sample leaves unset would be missing from the OpenAPI document")
    }
}
