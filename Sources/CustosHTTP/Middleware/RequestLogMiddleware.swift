import Hummingbird
import Logging

/// One log line per request: method, path (never the query string, which can carry codes
/// and tokens), status and duration, under the request id Hummingbird assigns. Also echoes
/// the id in `X-Request-ID` so an operator can match a client's report to the log.
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let requestID = context.logger[metadataKey: "hb.request.id"].map { "\($0)" } ?? ""
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        if !requestID.isEmpty { response.headers[.init("X-Request-ID")!] = requestID }
        let elapsed = ContinuousClock.now - start
        context.logger.info(
            "request",
            metadata: [
                "http.method": "\(request.method.rawValue)", "http.path": "\(request.uri.path)",
                "http.status": "\(response.status.code)",
                "duration_ms": "\(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)",
            ]
        )
        return response
    }
}
