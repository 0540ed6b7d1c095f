import CustosCore
import Foundation

/// What the schema check reads of a JSON value (`CustosCore.JSONValue` keeps what
/// `JSONSerialization` blurs on Linux: an integer is not a float, and `true` is not `1`).
extension JSONValue {
    static func parse(_ bytes: some Sequence<UInt8>) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(bytes))
    }

    subscript(_ key: String) -> JSONValue? {
        if case .object(let members) = self { members[key] } else { nil }
    }

    var string: String? { if case .string(let text) = self { text } else { nil } }

    /// The JSON Schema type names this value satisfies (an integer is also a number).
    var typeNames: Set<String> {
        switch self {
        case .null: ["null"]
        case .bool: ["boolean"]
        case .integer: ["integer", "number"]
        case .number: ["number"]
        case .string: ["string"]
        case .array: ["array"]
        case .object: ["object"]
        }
    }

    /// A short rendering for failure messages.
    var summary: String {
        switch self {
        case .null: "null"
        case .bool(let value): "\(value)"
        case .integer(let value): "\(value)"
        case .number(let value): "\(value)"
        case .string(let value): "\"\(value)\""
        case .array(let values): "[\(values.count) items]"
        case .object(let members): "{\(members.keys.sorted().joined(separator: ", "))}"
        }
    }
}

/// Checks a JSON answer against a schema of the OpenAPI 3.1 document: field names, types,
/// `required`, `const`/`enum`, `items`, `$ref`, `allOf`/`anyOf`/`oneOf`. A member the schema
/// does not list is a problem unless the schema allows more (`additionalProperties` true or a
/// schema), so the document cannot silently fall behind what the server encodes.
struct JSONSchemaCheck {
    let document: JSONValue

    func problems(_ value: JSONValue, against schema: JSONValue, at path: String = "$") -> [String] {
        guard case .object(let rules) = schema else { return [] }
        if let reference = rules["$ref"]?.string {
            guard let target = resolve(reference) else { return ["\(path): $ref \(reference) points nowhere"] }
            return problems(value, against: target, at: path)
        }
        var found: [String] = []
        if case .array(let parts) = rules["allOf"] {
            for part in parts { found += problems(value, against: part, at: path) }
        }
        for keyword in ["anyOf", "oneOf"] {
            if case .array(let parts) = rules[keyword], !parts.contains(where: { problems(value, against: $0, at: path).isEmpty }) {
                found.append("\(path): \(value.summary) matches none of the \(keyword) schemas")
            }
        }
        if let type = rules["type"] {
            let allowed: Set<String> =
                switch type {
                case .string(let name): [name]
                case .array(let names): Set(names.compactMap(\.string))
                default: []
                }
            if value.typeNames.isDisjoint(with: allowed) {
                return found + ["\(path): \(value.summary) is not of type \(allowed.sorted().joined(separator: "|"))"]
            }
        }
        if let constant = rules["const"], constant != value, !(constant.isNumber && constant.numericValue == value.numericValue) {
            found.append("\(path): \(value.summary) is not the constant \(constant.summary)")
        }
        if case .array(let choices) = rules["enum"], !choices.contains(value) {
            found.append("\(path): \(value.summary) is not one of the documented values")
        }
        if case .array(let items) = value, let itemSchema = rules["items"] {
            for (index, item) in items.enumerated() { found += problems(item, against: itemSchema, at: "\(path)[\(index)]") }
        }
        if case .object(let members) = value {
            found += objectProblems(members, rules: rules, at: path)
        }
        return found
    }

    private func objectProblems(_ members: [String: JSONValue], rules: [String: JSONValue], at path: String) -> [String] {
        var found: [String] = []
        var properties: [String: JSONValue] = [:]
        if case .object(let documented) = rules["properties"] { properties = documented }
        if case .array(let required) = rules["required"] {
            for name in required.compactMap(\.string) where members[name] == nil {
                found.append("\(path): the required member \"\(name)\" is missing")
            }
        }
        // Composed schemas list their members in the parts; only a schema that lists members
        // itself (or nothing at all) speaks for the whole object.
        let composed = rules["allOf"] != nil || rules["anyOf"] != nil || rules["oneOf"] != nil
        for (name, member) in members.sorted(by: { $0.key < $1.key }) {
            if let memberSchema = properties[name] {
                found += problems(member, against: memberSchema, at: "\(path).\(name)")
                continue
            }
            switch rules["additionalProperties"] {
            case .bool(true): break
            case .object(let schema): found += problems(member, against: .object(schema), at: "\(path).\(name)")
            default:
                if !composed && !(properties.isEmpty && rules["additionalProperties"] == nil) {
                    found.append("\(path): the member \"\(name)\" is not documented")
                }
            }
        }
        return found
    }

    private func resolve(_ reference: String) -> JSONValue? {
        guard reference.hasPrefix("#/") else { return nil }
        var node: JSONValue? = document
        for step in reference.dropFirst(2).split(separator: "/") {
            node = node?[String(step).replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")]
        }
        return node
    }
}

extension JSONValue {
    fileprivate var isNumber: Bool { typeNames.contains("number") }
    fileprivate var numericValue: Double? {
        switch self {
        case .integer(let value): Double(value)
        case .number(let value): value
        default: nil
        }
    }
}
