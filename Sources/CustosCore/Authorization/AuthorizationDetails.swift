import Foundation

/// The `authorization_details` of a rich authorization request (RFC 9396): a non-empty JSON
/// array of objects, each with a string `type` (§2). Every member of an element is kept as
/// sent — the common fields of §2.2 (`locations`, `actions`, `datatypes`, `identifier`,
/// `privileges`), the swagger's `data_types` spelling of `datatypes` (a type-specific field
/// as far as the RFC is concerned) and `constraints`, and any other type-specific member —
/// so that what the client asked for is what the user approves and what the tokens carry.
///
/// `parse` checks the shape and the size, `validate(for:)` the client's registered
/// `authorization_details_types` (§10), `covers` the token endpoint's narrowing (§6.1), and
/// `canonicalJSON` the one encoding that is stored and compared (sorted members).
public struct AuthorizationDetails: Sendable, Equatable, Codable {
    /// Bounds on what a request may carry, checked before anything else is looked at.
    public static let maximumLength = 16 * 1024
    public static let maximumElements = 32
    /// The common data fields of §2.2 whose values are arrays of strings.
    static let stringArrayFields = ["locations", "actions", "datatypes", "data_types", "privileges"]

    /// One element: `type` and every other member, verbatim.
    public struct Detail: Sendable, Equatable, Codable {
        public var members: [String: JSONValue]

        public var type: String { members["type"]?.stringValue ?? "" }

        public init(members: [String: JSONValue]) { self.members = members }

        public init(from decoder: any Decoder) throws {
            members = try [String: JSONValue](from: decoder)
        }

        public func encode(to encoder: any Encoder) throws {
            try members.encode(to: encoder)
        }

        /// A §2.2 array-of-strings field (`actions`, `locations`, …), nil when absent.
        public func strings(_ field: String) -> [String]? {
            guard case .array(let values) = members[field] else { return nil }
            return values.compactMap(\.stringValue)
        }

        /// RFC 9396 §6.1 leaves the comparison to the type; Custos, knowing no type's
        /// semantics, applies one rule to every type: `self` (requested) is covered by
        /// `granted` when both have the same `type` and the same member names, every array
        /// member of `self` holds only values the granted array holds (fewer actions,
        /// locations, datatypes… is narrower), and every other member is equal. A member
        /// left out or added is refused, because its meaning (unrestricted, or a new
        /// constraint) depends on the type.
        public func isCovered(by granted: Detail) -> Bool {
            guard Set(members.keys) == Set(granted.members.keys) else { return false }
            for (name, value) in members {
                guard let grantedValue = granted.members[name] else { return false }
                if case .array(let requested) = value, case .array(let allowed) = grantedValue {
                    guard requested.allSatisfy(allowed.contains) else { return false }
                } else if value != grantedValue {
                    return false
                }
            }
            return true
        }
    }

    public var details: [Detail]

    public init(details: [Detail]) { self.details = details }

    public init(from decoder: any Decoder) throws {
        details = try [Detail](from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        try details.encode(to: encoder)
    }

    /// The error of §5 (authorization endpoint, redirected) and §8 (token endpoint, PAR).
    static func invalid(_ description: String) -> OAuthError {
        OAuthError(.invalidAuthorizationDetails, description)
    }

    /// Reads the parameter's JSON text: a non-empty array of at most `maximumElements`
    /// objects, each with a non-empty string `type`, the §2.2 array fields arrays of strings
    /// and `identifier` a string; at most `maximumLength` bytes.
    public static func parse(_ text: String) -> Result<AuthorizationDetails, OAuthError> {
        guard text.utf8.count <= maximumLength else {
            return .failure(invalid("authorization_details is longer than \(maximumLength) bytes"))
        }
        // JSONDecoder into JSONValue keeps true apart from 1 (JSONSerialization does not on Linux).
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) else {
            return .failure(invalid("authorization_details is not valid JSON"))
        }
        guard case .array(let elements) = value else { return .failure(invalid("authorization_details must be a JSON array")) }
        guard !elements.isEmpty else { return .failure(invalid("authorization_details must hold at least one object")) }
        guard elements.count <= maximumElements else {
            return .failure(invalid("authorization_details holds more than \(maximumElements) objects"))
        }
        var details: [Detail] = []
        for (index, element) in elements.enumerated() {
            guard case .object(let members) = element else {
                return .failure(invalid("authorization_details[\(index)] must be a JSON object"))
            }
            guard case .string(let type) = members["type"], !type.isEmpty else {
                return .failure(invalid("authorization_details[\(index)].type must be a non-empty string"))
            }
            for field in stringArrayFields {
                guard let member = members[field] else { continue }
                guard case .array(let values) = member, values.allSatisfy({ $0.stringValue != nil }) else {
                    return .failure(invalid("authorization_details[\(index)].\(field) must be an array of strings"))
                }
            }
            if let identifier = members["identifier"], identifier.stringValue == nil {
                return .failure(invalid("authorization_details[\(index)].identifier must be a string"))
            }
            details.append(Detail(members: members))
        }
        return .success(AuthorizationDetails(details: details))
    }

    /// §10 `authorization_details_types`: every element's type must be one the client registered.
    public func validate(for client: OAuthClient) -> Result<AuthorizationDetails, OAuthError> {
        let registered = Set(client.metadata.authorizationDetailsTypes ?? [])
        if let unknown = details.first(where: { !registered.contains($0.type) }) {
            return .failure(Self.invalid("the client is not registered for authorization_details type \"\(unknown.type)\""))
        }
        return .success(self)
    }

    /// Parsed and checked against `client` in one step.
    public static func parse(_ text: String, for client: OAuthClient) -> Result<AuthorizationDetails, OAuthError> {
        parse(text).flatMap { $0.validate(for: client) }
    }

    /// §6.1: whether every element of `self` (asked for at the token endpoint) is covered by
    /// an element of `granted` (`Detail.isCovered(by:)`).
    public func isCovered(by granted: AuthorizationDetails) -> Bool {
        details.allSatisfy { requested in granted.details.contains { requested.isCovered(by: $0) } }
    }

    /// The details the token endpoint grants (§6): `granted` itself when the request names
    /// none, the requested ones when `granted` covers them, and `invalid_authorization_details`
    /// when the request asks for more than was granted — or for anything on a grant without
    /// details.
    public static func narrowed(
        _ requested: String?,
        granted: AuthorizationDetails?,
        client: OAuthClient
    ) throws(OAuthError) -> AuthorizationDetails? {
        guard let requested else { return granted }
        let asked: AuthorizationDetails
        switch parse(requested, for: client) {
        case .failure(let error): throw error
        case .success(let value): asked = value
        }
        guard let granted, asked.isCovered(by: granted) else {
            throw invalid("authorization_details asks for more than the grant holds")
        }
        return asked
    }

    /// The elements whose type the client still has registered (an administrator may have
    /// removed one since the grant); nil when none remain.
    public func restricted(to client: OAuthClient) -> AuthorizationDetails? {
        let registered = Set(client.metadata.authorizationDetailsTypes ?? [])
        let kept = details.filter { registered.contains($0.type) }
        return kept.isEmpty ? nil : AuthorizationDetails(details: kept)
    }

    static let canonicalEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// The stored and forwarded form: members sorted, no insignificant whitespace.
    public var canonicalJSON: String {
        String(decoding: (try? Self.canonicalEncoder.encode(self)) ?? Data("[]".utf8), as: UTF8.self)
    }

    /// Any JSON value in the same canonical form: how a request object's or a JSON body's
    /// `authorization_details` member becomes the parameter's text.
    public static func canonicalText(_ value: JSONValue) -> String {
        String(decoding: (try? canonicalEncoder.encode(value)) ?? Data("null".utf8), as: UTF8.self)
    }
}
