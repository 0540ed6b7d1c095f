import Hummingbird

/// A refusal decided by the HTTP shell of the admin API (body too large, wrong media type,
/// malformed JSON): the status and the message for the `SimpleResponse`.
struct AdminHTTPError: Error {
    let status: HTTPResponse.Status
    let message: String
}
