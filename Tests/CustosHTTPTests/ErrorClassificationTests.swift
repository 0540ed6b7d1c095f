import CustosCore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Testing

@testable import CustosHTTP

/// The one error model: `ErrorClassification` decides status, code, text, challenge and
/// `Retry-After` for every surface; the renderers only write it.
@Suite("Error model: one classification, three renderers")
struct ErrorClassificationTests {
    static func request(authorization: String? = nil) -> Request {
        var head = HTTPRequest(method: .post, scheme: "http", authority: "custos.test", path: "/api/v1/oauth/token")
        if let authorization { head.headerFields[.authorization] = authorization }
        return Request(head: head, body: .init(buffer: ByteBuffer()))
    }

    static let surfaces: [ErrorClassification.Surface] = [.protocolEndpoint, .resource, .registration, .admin, .account, .page]

    @Test("when the database is away then every surface answers 503 with Retry-After from one place")
    func storageUnavailable() {
        for surface in Self.surfaces {
            let classification = ErrorClassification(StorageUnavailable("the pool is closed"), surface: surface, request: Self.request())
            #expect(classification.status == .serviceUnavailable, "\(surface)")
            #expect(classification.code == "temporarily_unavailable")
            #expect(classification.headers[.retryAfter] == String(ErrorClassification.unavailableRetryAfter))
            #expect(!classification.isUnexpected)
        }
    }

    @Test("when a rate limit refuses then the answer is 429 with the limiter's Retry-After")
    func rateLimited() {
        let classification = ErrorClassification(RateLimited(retryAfter: 17), surface: .protocolEndpoint, request: Self.request())
        #expect(classification.status == .tooManyRequests && classification.code == "rate_limit_exceeded")
        #expect(classification.headers[.retryAfter] == "17")
    }

    @Test("when invalid_client follows a Basic header then the challenge is Basic, and without one there is none")
    func invalidClientChallenge() {
        let basic = ErrorClassification(OAuthError.invalidClient(), surface: .protocolEndpoint, request: Self.request(authorization: "Basic eDp5"))
        #expect(basic.status == .unauthorized)
        #expect(basic.headers[.wwwAuthenticate] == "Basic realm=\"custos\"")
        let body = ErrorClassification(OAuthError.invalidClient(), surface: .protocolEndpoint, request: Self.request())
        #expect(body.status == .unauthorized && body.headers[.wwwAuthenticate] == nil)
    }

    @Test("when a bearer token is refused then each surface names it as its RFC says")
    func accessDenied() {
        let account = ErrorClassification(AccessDenied.unauthenticated("sign in"), surface: .account, request: Self.request())
        #expect(account.status == .unauthorized && account.code == "login_required")
        #expect(account.headers[.wwwAuthenticate] == "Bearer realm=\"custos\", error=\"invalid_token\"")
        let accountForbidden = ErrorClassification(AccessDenied.forbidden("no"), surface: .account, request: Self.request())
        #expect(accountForbidden.status == .forbidden && accountForbidden.code == "access_denied")
        #expect(accountForbidden.headers[.wwwAuthenticate] == "Bearer realm=\"custos\", error=\"insufficient_scope\", scope=\"account\"")
        let resource = ErrorClassification(AccessDenied.forbidden("no \"openid\""), surface: .resource, request: Self.request())
        #expect(resource.status == .forbidden && resource.code == "insufficient_scope")
        #expect(resource.headers[.wwwAuthenticate] == "Bearer realm=\"custos\", error=\"insufficient_scope\", error_description=\"no 'openid'\"")
        let admin = ErrorClassification(AccessDenied.forbidden("admin only"), surface: .admin, request: Self.request())
        #expect(admin.headers[.wwwAuthenticate] == "Bearer realm=\"custos\", error=\"insufficient_scope\", scope=\"admin\"")
        let registration = ErrorClassification(AccessDenied.unauthenticated("bad token"), surface: .registration, request: Self.request())
        #expect(registration.status == .unauthorized && registration.code == "invalid_token")
    }

    @Test("when an error carries a private detail then the classification keeps it and the rendered body does not")
    func detailStaysInTheLog() throws {
        let error = OAuthError(.invalidClient, "client authentication failed", detail: "no client named cl_secret_probe")
        let classification = ErrorClassification(error, surface: .protocolEndpoint, request: Self.request())
        #expect(classification.detail == "no client named cl_secret_probe")
        let response = try OAuthErrorMiddleware<CustosRequestContext>.render(classification)
        #expect(response.status == .unauthorized)
        // The renderer writes exactly code and message; the detail has no way into the body.
        let body = OAuthErrorMiddleware<CustosRequestContext>.Body(error: classification.code, errorDescription: classification.message)
        let text = String(decoding: try JSONEncoder().encode(body), as: UTF8.self)
        #expect(text.contains("client authentication failed"))
        #expect(!text.contains("cl_secret_probe"))
    }

    @Test("when an error nobody classified happens then it is a 500 that says nothing about it")
    func unexpected() {
        struct Internal: Error {}
        for surface in Self.surfaces {
            let classification = ErrorClassification(Internal(), surface: surface, request: Self.request())
            #expect(classification.status == .internalServerError && classification.isUnexpected, "\(surface)")
            #expect(classification.message == "internal server error")
        }
    }
}
