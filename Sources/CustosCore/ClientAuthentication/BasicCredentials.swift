/// The client id and secret of `Authorization: Basic`, each already form-URL-decoded after
/// base64 (RFC 6749 §2.3.1).
public struct BasicCredentials: Sendable, Equatable {
    public var id: String
    public var secret: String

    public init(id: String, secret: String) {
        self.id = id
        self.secret = secret
    }
}
