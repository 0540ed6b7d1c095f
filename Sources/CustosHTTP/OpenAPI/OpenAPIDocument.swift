import CustosCore
import Foundation

/// The OpenAPI 3.1 description of every route Custos serves, served at
/// `GET {apiPrefix}/docs/openapi.json`. Kept true by `OpenAPIDocumentTests` (every documented path
/// is a route and every route is documented; every documented 2xx JSON answer matches what the
/// server encodes) and by schemathesis in `interop/hostile`.
///
/// The text is edited as JSON, one file per tag under `OpenAPI/Document/` plus `openapi.json`
/// (info, tags, shared components), and compiled in by the `EmbedOpenAPIDocument` build-tool
/// plugin, which fails the build on invalid JSON, a key two files define differently or a `$ref`
/// that points nowhere. The files write paths under the default prefix `/api/v1`.
///
/// At start-up two things are filled in, so the document cannot drift from the server:
/// - the configured API prefix replaces `/api/v1` at the start of every path;
/// - a schema marked `"x-custos-examples": "<list>"` gets that capability list as its
///   `examples`, read from the same registries discovery reads (`Capabilities`);
/// - a schema marked `"x-custos-client-members": "admin" | "registration"` gets a property for
///   every client metadata member it does not list yet, typed from how that surface encodes
///   `ClientMetadata.documentationSample`: a member added to the model is documented at once.
struct OpenAPIDocument {
    /// The capability lists a part can name in `x-custos-examples`.
    struct Capabilities: Sendable {
        var grantTypes: [String]
        var clientAuthMethods: [String]
        var signingAlgorithms: [String]
        /// Every client metadata member with a sample value, as the admin API and dynamic
        /// registration encode them (`ClientMetadata.documentationSample`).
        var adminClientMembers: [String: JSONValue]
        var registrationClientMembers: [String: JSONValue]

        init(server: AuthorizationServer) {
            grantTypes = server.tokenEndpoint.supportedGrantTypes.map(\.rawValue)
            clientAuthMethods = server.clientAuthenticator.supportedMethods.map(\.rawValue)
            // Key rotation accepts every algorithm the server can sign with.
            signingAlgorithms = SigningAlgorithm.allCases.map(\.rawValue)
            adminClientMembers = (try? AdminClientCodec.members(.documentationSample)) ?? [:]
            registrationClientMembers = (try? RegistrationController.members(of: .documentationSample)) ?? [:]
        }

        func clientMembers(named name: String) -> [String: JSONValue]? {
            switch name {
            case "admin": adminClientMembers
            case "registration": registrationClientMembers
            default: nil
            }
        }

        func list(named name: String) -> [String]? {
            switch name {
            case "grant_types": grantTypes
            case "client_auth_methods": clientAuthMethods
            case "signing_algorithms": signingAlgorithms
            default: nil
            }
        }
    }

    struct UnknownMarker: Error, CustomStringConvertible {
        let name: String
        var description: String { "the OpenAPI document names an unknown capability list \"\(name)\"" }
    }

    /// The embedded text is not an object with `paths` (the build-time tool checks it; this
    /// keeps start-up from trusting that).
    struct NoPaths: Error {}

    static let writtenPrefix = "/api/v1"

    /// The document as served: the embedded parts with prefix and capability lists filled in.
    static func served(apiPrefix: String, capabilities: Capabilities) throws -> Data {
        guard var document = try JSONSerialization.jsonObject(with: Data(EmbeddedOpenAPIDocument.json.utf8)) as? [String: Any],
            let paths = document["paths"] as? [String: Any]
        else { throw NoPaths() }
        var prefixed: [String: Any] = [:]
        for (path, item) in paths {
            let served = path.hasPrefix(writtenPrefix + "/") ? apiPrefix + path.dropFirst(writtenPrefix.count) : path
            prefixed[served] = item
        }
        document["paths"] = prefixed
        let filled = try fillMarkers(in: document, from: capabilities)
        return try JSONSerialization.data(withJSONObject: filled, options: [.sortedKeys, .withoutEscapingSlashes])
    }

    private static func fillMarkers(in node: Any, from capabilities: Capabilities) throws -> Any {
        if var object = node as? [String: Any] {
            for (key, value) in object { object[key] = try fillMarkers(in: value, from: capabilities) }
            if let name = object.removeValue(forKey: "x-custos-examples") as? String {
                guard let list = capabilities.list(named: name) else { throw UnknownMarker(name: name) }
                object["examples"] = list
            }
            if let name = object.removeValue(forKey: "x-custos-client-members") as? String {
                guard let members = capabilities.clientMembers(named: name) else { throw UnknownMarker(name: name) }
                var properties = object["properties"] as? [String: Any] ?? [:]
                for (member, sample) in members where properties[member] == nil { properties[member] = schema(of: sample) }
                object["properties"] = properties
            }
            return object
        }
        if let array = node as? [Any] { return try array.map { try fillMarkers(in: $0, from: capabilities) } }
        return node
    }

    /// The JSON Schema of a sample value: its type, and for a list the type of its items.
    private static func schema(of sample: JSONValue) -> [String: Any] {
        switch sample {
        case .null: ["type": "null"]
        case .bool: ["type": "boolean"]
        case .integer: ["type": "integer"]
        case .number: ["type": "number"]
        case .string: ["type": "string"]
        case .object: ["type": "object"]
        case .array(let items): ["type": "array", "items": items.first.map(schema(of:)) ?? [:]]
        }
    }
}
