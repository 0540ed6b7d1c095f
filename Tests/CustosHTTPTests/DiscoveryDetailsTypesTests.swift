import Foundation
import Testing

@testable import CustosHTTP

/// Discovery's `authorization_details_types_supported` (RFC 9396 §10) reads the clients' types
/// at most every 30 s, and keeps answering when that read fails: relying parties fetch
/// discovery before anything else, so a database outage must not take it down.
@Suite("Discovery: the authorization details types of clients")
struct DiscoveryDetailsTypesTests {
    struct Unavailable: Error {}

    @Test("when the clients cannot be read then the last list known, or the operator's types alone, is answered; a good read is kept 30 s")
    func fallsBackWhenTheReadFails() async {
        let types = ClientAuthorizationDetailsTypes()
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let operatorTypes = ["payment_initiation", "account_information", "payment_initiation"]
        let first = await types.types(operatorTypes: operatorTypes, now: start) { throw Unavailable() }
        #expect(first == ["account_information", "payment_initiation"])
        let read = await types.types(operatorTypes: operatorTypes, now: start) { ["tax_data", "account_information"] }
        #expect(read == ["account_information", "payment_initiation", "tax_data"])
        // Within the lifetime the list is not read again (a failing read would not show).
        let cached = await types.types(operatorTypes: operatorTypes, now: start.addingTimeInterval(29)) { ["other"] }
        #expect(cached == read)
        let stale = await types.types(operatorTypes: operatorTypes, now: start.addingTimeInterval(31)) { throw Unavailable() }
        #expect(stale == read, "a failed read after the lifetime answers the last list known")
        let fresh = await types.types(operatorTypes: operatorTypes, now: start.addingTimeInterval(32)) { ["other"] }
        #expect(fresh == ["account_information", "other", "payment_initiation"])
    }
}
