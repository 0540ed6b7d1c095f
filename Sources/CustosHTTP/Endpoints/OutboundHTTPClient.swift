import AsyncHTTPClient
import CustosCore
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The HTTP client of every request Custos makes on a client's behalf (jwks_uri, request_uri,
/// sector_identifier_uri, back-channel logout), rule 13 of the authorization boundaries:
///
/// 1. The name is resolved once, here (`getaddrinfo`, which reads numeric hosts such as
///    `2130706433` the way `IPAddress` does).
/// 2. Every resolved address must pass `OutboundAddressPolicy`: one special-use address among
///    them and nothing is sent (a name with a public and a private record is an attack, not
///    a fallback).
/// 3. The connection goes to the address that was checked: the request runs on a client
///    whose `dnsOverride` maps the name to that address, so AsyncHTTPClient does not resolve
///    again (a second answer could be 127.0.0.1: DNS rebinding), while the `Host` header, TLS
///    SNI and certificate verification still use the name.
///
/// Redirects are not followed (a redirect would lead past the check to any host); a whole
/// request, resolution included, ends by `timeout`; bodies over `maximumBodySize` are refused.
/// Every failure is an `OutboundFetchFailure`.
public struct OutboundHTTPClient: Sendable {
    public struct Response: Sendable {
        public let status: Int
        public let body: ByteBuffer
    }

    /// Every address a name resolves to.
    public typealias Resolver = @Sendable (String) async throws -> [IPAddress]

    public let policy: OutboundAddressPolicy
    public let timeout: TimeAmount
    public let maximumBodySize: Int
    let resolver: Resolver

    /// - Parameter resolver: `getaddrinfo` by default; tests give names of their own.
    public init(
        policy: OutboundAddressPolicy,
        timeout: TimeAmount = .seconds(5),
        maximumBodySize: Int = 64 * 1024,
        resolver: @escaping Resolver = OutboundHTTPClient.resolve
    ) {
        self.policy = policy
        self.timeout = timeout
        self.maximumBodySize = maximumBodySize
        self.resolver = resolver
    }

    /// Sends one request and collects the answer, whatever its status.
    public func send(
        _ method: HTTPMethod = .GET,
        to url: String,
        headers: [(String, String)] = [],
        body: ByteBuffer? = nil
    ) async throws(OutboundFetchFailure) -> Response {
        guard let host = OutboundAddressPolicy.host(of: url), let components = URLComponents(string: url) else {
            throw OutboundFetchFailure(.invalidURL, host: "")
        }
        // https only; plain http only where private fetches are allowed (local development).
        guard components.scheme == "https" || (policy.allowsPrivateAddresses && components.scheme == "http"),
            components.user == nil, components.password == nil, OutboundAddressPolicy.isPlainHost(host)
        else { throw OutboundFetchFailure(.invalidURL, host: host) }
        let policy = self.policy
        let resolver = self.resolver
        let maximumBodySize = self.maximumBodySize
        let deadline = NIODeadline.now() + timeout
        let connectTimeout = self.timeout
        let operation: @Sendable () async throws -> Response = {
            let address = try await Self.checkedAddress(of: host, policy: policy, resolver: resolver)
            var configuration = HTTPClient.Configuration(
                redirectConfiguration: .disallow,
                timeout: .init(connect: connectTimeout, read: connectTimeout)
            )
            // A client per request: AsyncHTTPClient takes `dnsOverride` per client, not per
            // request, and the override is what pins the connection to the checked address
            // while the name still drives Host, SNI and certificate checks. These fetches are
            // rare (JWKS documents are cached), so the pool a shared client would keep is not
            // worth an address that could change between check and connect.
            configuration.dnsOverride = [host: address.description]
            configuration.httpVersion = .http1Only
            let client = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
            do {
                var request = HTTPClientRequest(url: url)
                request.method = method
                for (name, value) in headers { request.headers.add(name: name, value: value) }
                if let body { request.body = .bytes(body) }
                let response = try await client.execute(request, deadline: deadline)
                if let length = response.headers.first(name: "Content-Length").flatMap(Int.init), length > maximumBodySize {
                    throw OutboundFetchFailure(.tooLarge, host: host)
                }
                let collected = try await response.body.collect(upTo: maximumBodySize)
                try? await client.shutdown()
                return Response(status: Int(response.status.code), body: collected)
            } catch {
                try? await client.shutdown()
                throw error
            }
        }
        do {
            return try await Self.withDeadline(deadline, operation)
        } catch let failure as OutboundFetchFailure {
            throw failure
        } catch is NIOTooManyBytesError {
            throw OutboundFetchFailure(.tooLarge, host: host)
        } catch let error as HTTPClientError where [.deadlineExceeded, .connectTimeout, .readTimeout].contains(error) {
            throw OutboundFetchFailure(.timedOut, host: host)
        } catch {
            throw OutboundFetchFailure(.unreachable, host: host)
        }
    }

    /// The one address to connect to: the literal itself, or the first address the name
    /// resolves to, after every resolved address passed the policy.
    static func checkedAddress(of host: String, policy: OutboundAddressPolicy, resolver: Resolver) async throws -> IPAddress {
        let addresses: [IPAddress]
        if let literal = IPAddress(host: host) {
            addresses = [literal]
        } else {
            // RFC 6761 §6.3: localhost is loopback whatever a resolver says.
            if !policy.allowsPrivateAddresses && OutboundAddressPolicy.isLoopbackName(host) {
                throw OutboundFetchFailure(.refusedAddress, host: host)
            }
            addresses = try await resolver(host)
        }
        guard let first = addresses.first else { throw OutboundFetchFailure(.unresolvable, host: host) }
        guard addresses.allSatisfy({ policy.refusal(of: $0) == nil }) else { throw OutboundFetchFailure(.refusedAddress, host: host) }
        return first
    }

    /// Every address `getaddrinfo` gives for `host` (TCP), on NIO's blocking-work pool.
    @Sendable public static func resolve(_ host: String) async throws -> [IPAddress] {
        try await NIOThreadPool.singleton.runIfActive {
            var hints = addrinfo()
            hints.ai_family = AF_UNSPEC
            #if canImport(Glibc)
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
            #else
            hints.ai_socktype = SOCK_STREAM
            #endif
            hints.ai_protocol = Int32(IPPROTO_TCP)
            var list: UnsafeMutablePointer<addrinfo>?
            guard getaddrinfo(host, nil, &hints, &list) == 0, let head = list else {
                throw OutboundFetchFailure(.unresolvable, host: host)
            }
            defer { freeaddrinfo(head) }
            var addresses: [IPAddress] = []
            var cursor: UnsafeMutablePointer<addrinfo>? = head
            while let entry = cursor {
                if let socketAddress = entry.pointee.ai_addr {
                    switch entry.pointee.ai_family {
                    case AF_INET:
                        let value = socketAddress.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr.s_addr }
                        addresses.append(.v4(UInt32(bigEndian: value)))
                    case AF_INET6:
                        let bytes = socketAddress.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
                            withUnsafeBytes(of: pointer.pointee.sin6_addr) { Array($0) }
                        }
                        addresses.append(.v6(bytes))
                    default:
                        // An address family we cannot judge: refuse the whole name.
                        throw OutboundFetchFailure(.refusedAddress, host: host)
                    }
                }
                cursor = entry.pointee.ai_next
            }
            return addresses
        }
    }

    /// Runs `operation` until `deadline`; past it the operation is cancelled and
    /// `OutboundFetchFailure.timedOut`-worthy `HTTPClientError.deadlineExceeded` is thrown at
    /// once, even when the operation (a `getaddrinfo` call, say) cannot stop right away.
    static func withDeadline<T: Sendable>(_ deadline: NIODeadline, _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        let outcome = OnceContinuation<T>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                outcome.install(continuation)
                let work = Task {
                    do { outcome.resume(.success(try await operation())) } catch { outcome.resume(.failure(error)) }
                }
                let remaining = deadline - NIODeadline.now()
                let timer = Task {
                    try? await Task.sleep(nanoseconds: UInt64(max(0, remaining.nanoseconds)))
                    outcome.resume(.failure(HTTPClientError.deadlineExceeded))
                }
                outcome.onCancel {
                    work.cancel()
                    timer.cancel()
                }
            }
        } onCancel: {
            outcome.resume(.failure(CancellationError()))
        }
    }
}

/// A continuation resumed by the first of several racers; later results are dropped.
private final class OnceContinuation<T: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<T, any Error>?
        var early: Result<T, any Error>?
        var cancelWork: (@Sendable () -> Void)?
        var finished = false
    }

    private let state = Mutex(State())

    func install(_ continuation: CheckedContinuation<T, any Error>) {
        let early = state.withLock { state -> Result<T, any Error>? in
            if let early = state.early { return early }
            state.continuation = continuation
            return nil
        }
        if let early { continuation.resume(with: early) }
    }

    func onCancel(_ body: @escaping @Sendable () -> Void) {
        let finished = state.withLock { state -> Bool in
            if !state.finished { state.cancelWork = body }
            return state.finished
        }
        if finished { body() }
    }

    func resume(_ result: Result<T, any Error>) {
        let (continuation, cancelWork) = state.withLock { state -> (CheckedContinuation<T, any Error>?, (@Sendable () -> Void)?) in
            guard !state.finished else { return (nil, nil) }
            state.finished = true
            guard let continuation = state.continuation else {
                state.early = result
                return (nil, state.cancelWork)
            }
            state.continuation = nil
            return (continuation, state.cancelWork)
        }
        continuation?.resume(with: result)
        cancelWork?()
    }
}
