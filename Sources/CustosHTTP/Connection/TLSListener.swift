import Foundation
import HummingbirdCore
import Logging
import NIOCore
import NIOSSL
import NIOTLS
import Synchronization

/// The HTTPS listener (`CUSTOS_TLS_CERT_FILE`, `CUSTOS_TLS_KEY_FILE`): TLS 1.2 and 1.3 only,
/// a client certificate requested but not required, and whatever certificate the client sends
/// accepted at the TLS layer so that it reaches the application, which decides (RFC 8705 §2:
/// `tls_client_auth` checks the chain against `CUSTOS_TLS_CLIENT_CA_FILE`,
/// `self_signed_tls_client_auth` the key; a certificate-bound token only its thumbprint).
public struct TLSListenerConfiguration: Sendable {
    public struct Unreadable: Error, CustomStringConvertible {
        public let description: String
    }

    let certificateChain: [NIOSSLCertificate]
    let privateKey: NIOSSLPrivateKey

    /// Reads the PEM certificate chain (leaf first) and private key; a missing, unreadable or
    /// malformed file is an error naming it.
    public init(certificateFile: String, keyFile: String) throws(Unreadable) {
        let chainPEM = try Self.contents(of: certificateFile, setting: "CUSTOS_TLS_CERT_FILE")
        let keyPEM = try Self.contents(of: keyFile, setting: "CUSTOS_TLS_KEY_FILE")
        do {
            certificateChain = try NIOSSLCertificate.fromPEMBytes(chainPEM)
        } catch {
            throw Unreadable(description: "CUSTOS_TLS_CERT_FILE \(certificateFile): not a PEM certificate chain")
        }
        guard !certificateChain.isEmpty else {
            throw Unreadable(description: "CUSTOS_TLS_CERT_FILE \(certificateFile): holds no certificate")
        }
        do {
            privateKey = try NIOSSLPrivateKey(bytes: keyPEM, format: .pem)
        } catch {
            throw Unreadable(description: "CUSTOS_TLS_KEY_FILE \(keyFile): not a PEM private key")
        }
    }

    static func contents(of path: String, setting: String) throws(Unreadable) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Unreadable(description: "\(setting) \(path): the file is missing or unreadable")
        }
        return Array(data)
    }

    /// FAPI 2.0 Security Profile §5.2.1 (TLS 1.2 or later) and §5.2.2: for TLS 1.2 only the
    /// ECDHE suites with AES-GCM. The profile also lists the DHE-RSA GCM suites; BoringSSL
    /// implements no finite-field DHE, so they cannot be offered. The ECDSA variants serve an EC
    /// server key; BoringSSL negotiates only the suites the configured key can sign for, so the
    /// RSA ones serve an RSA key and listing both is safe. TLS 1.3 suites (AES-GCM, ChaCha20-
    /// Poly1305, all AEAD with ephemeral key exchange) are BoringSSL's fixed set.
    static let tls12CipherSuites: [NIOTLSCipher] = [
        .TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        .TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        .TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        .TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
    ]

    var tlsConfiguration: TLSConfiguration {
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: certificateChain.map { .certificate($0) },
            privateKey: .privateKey(privateKey)
        )
        configuration.minimumTLSVersion = .tlsv12
        configuration.maximumTLSVersion = .tlsv13
        configuration.cipherSuiteValues = Self.tls12CipherSuites
        // Ask for a certificate, accept a connection without one (the token endpoint also
        // serves secret and assertion clients). The verification callback below replaces
        // BoringSSL's chain check, so no trust roots are loaded here.
        configuration.certificateVerification = .optionalVerification
        configuration.trustRoots = .certificates([])
        return configuration
    }
}

/// A server child channel that puts a `NIOSSLServerHandler` in front of the HTTP channel, like
/// HummingbirdTLS's `TLSChannel`, but with a verification callback *with metadata*: it accepts
/// every certificate and hands back the chain the client sent, which `NIOSSLHandler`
/// then keeps as `peerValidatedCertificateChain`. HummingbirdTLS's callback type cannot return
/// that chain, and the intermediates are needed to build a path to the client CA.
struct MutualTLSChannel<BaseChannel: ServerChildChannel>: ServerChildChannel {
    typealias Value = BaseChannel.Value

    let context: NIOSSLContext
    let baseChannel: BaseChannel

    init(_ baseChannel: BaseChannel, configuration: TLSListenerConfiguration) throws {
        self.context = try NIOSSLContext(configuration: configuration.tlsConfiguration)
        self.baseChannel = baseChannel
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            let handler = NIOSSLServerHandler(context: context, configuration: .init()) { certificates, promise in
                // Not a trust decision: the application checks the chain or the key (RFC 8705 §2).
                promise.succeed(.certificateVerified(VerificationMetadata(ValidatedCertificateChain(certificates))))
            }
            try channel.pipeline.syncOperations.addHandler(handler)
            try channel.pipeline.syncOperations.addHandler(TLSClientCertificateRecorder())
        }.flatMap {
            baseChannel.setup(channel: channel, logger: logger)
        }
    }

    func handle(value: BaseChannel.Value, logger: Logger) async {
        await baseChannel.handle(value: value, logger: logger)
    }
}

extension MutualTLSChannel: HTTPChannelHandler where BaseChannel: HTTPChannelHandler {
    var responder: HTTPChannelHandler.Responder { baseChannel.responder }
}

/// The client certificates of the open TLS connections, by channel: written when a handshake
/// completes (on the channel's event loop), read by `CustosRequestContext.init(source:)`, which
/// Hummingbird calls off the event loop and synchronously, where the TLS handler cannot be
/// asked. An entry goes when its connection closes.
final class TLSClientCertificates: Sendable {
    static let shared = TLSClientCertificates()

    private let certificates = Mutex<[ObjectIdentifier: ReceivedClientCertificate]>([:])

    func certificate(of channel: any Channel) -> ReceivedClientCertificate? {
        certificates.withLock { $0[ObjectIdentifier(channel)] }
    }

    func record(_ certificate: ReceivedClientCertificate?, for channel: any Channel) {
        certificates.withLock { $0[ObjectIdentifier(channel)] = certificate }
    }
}

/// Records the certificate chain the client sent once the handshake completes.
final class TLSClientCertificateRecorder: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .handshakeCompleted = event as? TLSUserEvent,
            let tls = try? context.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self),
            let chain = tls.peerValidatedCertificateChain,
            let leaf = chain.first,
            let leafDER = try? leaf.toDERBytes()
        {
            let rest = chain.dropFirst().compactMap { try? $0.toDERBytes() }
            TLSClientCertificates.shared.record(.tlsSession(der: leafDER, chain: rest), for: context.channel)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        TLSClientCertificates.shared.record(nil, for: context.channel)
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        TLSClientCertificates.shared.record(nil, for: context.channel)
    }
}
