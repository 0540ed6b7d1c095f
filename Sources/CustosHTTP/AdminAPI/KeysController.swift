import CustosCore
import Foundation
import Hummingbird

/// `GET /admin/keys` and `POST /admin/keys/rotate`: the signing keys (public parts and
/// schedule only) and an on-demand rotation.
struct KeysController {
    typealias Context = CustosRequestContext
    let rotation: KeyRotation
    let bodyLimit: Int

    func register(on routes: AdminRoutes) {
        routes.on("/keys", method: .get, list)
        routes.on("/keys/rotate", method: .post, rotate)
    }

    struct KeyItem: Encodable {
        let kid: String
        let alg: String
        let status: String
        let createdAt: String
        let activatesAt: String
        let retiresAt: String

        enum CodingKeys: String, CodingKey {
            case kid, alg, status
            case createdAt = "created_at"
            case activatesAt = "activates_at"
            case retiresAt = "retires_at"
        }

        init(_ key: StoredSigningKey) {
            kid = key.kid
            alg = key.algorithm.rawValue
            status = key.status.rawValue
            createdAt = Timestamp.string(key.createdAt)
            activatesAt = Timestamp.string(key.activatesAt)
            retiresAt = Timestamp.string(key.retiresAt)
        }
    }

    struct RotateBody: Decodable {
        var algorithm: String?
        var immediately: Bool?
    }

    @Sendable func list(_ request: Request, _ context: Context, _ admin: AdminPrincipal) async throws -> Response {
        let keys = try await rotation.list()
        let page = Page(items: keys, total: keys.count, request: PageRequest(page: 1, pageSize: PageRequest.maximumSize))
        return try JSONResponse.make(ListEnvelope(page, message: "signing keys listed", transform: KeyItem.init))
    }

    @Sendable func rotate(_ request: Request, _ context: Context, _ admin: AdminPrincipal) async throws -> Response {
        let body = try await AdminJSONBody.decode(RotateBody.self, from: request, limit: bodyLimit, optional: true)
        var algorithm: SigningAlgorithm?
        if let name = body?.algorithm {
            guard let parsed = SigningAlgorithm(rawValue: name) else {
                throw AdminError.invalidField(field: "algorithm", message: "must be ES256, RS256, PS256 or EdDSA")
            }
            algorithm = parsed
        }
        let key = try await rotation.rotate(algorithm: algorithm, immediately: body?.immediately ?? false)
        return try JSONResponse.make(DataEnvelope(KeyItem(key), message: "signing key created"), status: .created)
    }
}
