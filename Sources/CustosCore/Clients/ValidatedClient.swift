/// What an administrator controls about a client, after defaults and validation: its
/// metadata and the record's three administrator settings. `ClientMetadataValidator`
/// produces it; `ClientManagement` writes it onto the stored client.
@dynamicMemberLookup
public struct ValidatedClient: Sendable, Equatable {
    public var metadata: ClientMetadata
    public var status: ClientStatus
    public var isFirstParty: Bool
    public var pkceRequired: Bool

    public init(metadata: ClientMetadata, status: ClientStatus = .active, isFirstParty: Bool = false, pkceRequired: Bool = true) {
        self.metadata = metadata
        self.status = status
        self.isFirstParty = isFirstParty
        self.pkceRequired = pkceRequired
    }

    public subscript<Value>(dynamicMember keyPath: WritableKeyPath<ClientMetadata, Value>) -> Value {
        get { metadata[keyPath: keyPath] }
        set { metadata[keyPath: keyPath] = newValue }
    }

    /// The OpenID Connect part of the metadata under its former name.
    public var openID: ClientMetadata {
        get { metadata }
        set { metadata = newValue }
    }
}

extension OAuthClient {
    /// The administrator-controlled part of the stored client.
    public var validated: ValidatedClient {
        get { ValidatedClient(metadata: metadata, status: status, isFirstParty: isFirstParty, pkceRequired: pkceRequired) }
        set {
            metadata = newValue.metadata
            status = newValue.status
            isFirstParty = newValue.isFirstParty
            pkceRequired = newValue.pkceRequired
        }
    }
}
