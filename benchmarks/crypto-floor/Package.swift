// swift-tools-version:6.1
// The cost of the cryptography no authorization server can skip, measured with the same
// library and version Custos signs with (swift-crypto, BoringSSL). Built by benchmarks/run
// in release mode into its own scratch folder (.build-bench-floor).
import PackageDescription

let package = Package(
    name: "crypto-floor",
    platforms: [.macOS(.v15)],
    dependencies: [
        // Same version as Custos's Package.resolved.
        .package(url: "https://github.com/apple/swift-crypto.git", exact: "4.5.2")
    ],
    targets: [
        .executableTarget(
            name: "crypto-floor",
            dependencies: [.product(name: "Crypto", package: "swift-crypto"), .product(name: "_CryptoExtras", package: "swift-crypto")])
    ]
)
