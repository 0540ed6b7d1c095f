import CustosCore
import Foundation
import Hummingbird

/// Registers admin routes so that no handler can run without an authenticated administrator:
/// every handler receives the `AdminPrincipal`, and the only way to get one is through
/// `AdminTokenAuthenticator`.
struct AdminRoutes {
    typealias Context = CustosRequestContext
    let group: RouterGroup<Context>
    let authenticator: AdminTokenAuthenticator

    typealias Handler = @Sendable (Request, Context, AdminPrincipal) async throws -> Response

    func on(_ path: RouterPath, method: HTTPRequest.Method, _ handler: @escaping Handler) {
        let authenticator = self.authenticator
        group.on(path, method: method) { request, context in
            let principal = try await authenticator.authenticate(bearer: Self.bearerToken(request))
            return try await handler(request, context, principal)
        }
    }

    /// RFC 6750 §2.1: `Authorization: Bearer <token>`, scheme case-insensitive.
    static func bearerToken(_ request: Request) -> String? {
        guard let header = request.headers[.authorization] else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return parts[1].trimmingCharacters(in: .whitespaces)
    }
}
