import Foundation
import Hummingbird
import Mustache

/// Renders the server's HTML pages from the built-in templates, each replaceable by a file in
/// the operator's templates folder. Pages are never cached and may not be framed.
struct PageRenderer: Sendable {
    let library: MustacheLibrary

    /// - Parameter directory: a folder of `NAME.mustache` files overriding the built-in ones.
    static func load(overridesFrom directory: String?) async throws -> PageRenderer {
        var library = MustacheLibrary()
        for (name, text) in DefaultTemplates.all {
            try library.register(text, named: name)
        }
        if let directory {
            let overrides = try await MustacheLibrary(directory: directory)
            for name in DefaultTemplates.all.keys {
                if let template = overrides.getTemplate(named: name) { library.register(template, named: name) }
            }
        }
        return PageRenderer(library: library)
    }

    func page(_ name: String, _ values: [String: Any], status: HTTPResponse.Status = .ok, headers extra: HTTPFields = [:]) -> Response {
        var extra = extra
        let html = library.render(values, withTemplate: name) ?? ""
        var headers: HTTPFields = [
            .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
            .init("X-Frame-Options")!: "DENY",
            .init("Content-Security-Policy")!: "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; frame-ancestors 'none'",
            .init("Referrer-Policy")!: "no-referrer",
        ]
        for field in extra { headers[field.name] = field.value }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}
