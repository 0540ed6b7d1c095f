// swift-tools-version:6.1
import PackageDescription

// Upcoming-feature flags as Hummingbird uses them: existentials are spelled `any`,
// and a file sees only the members of modules it imports itself.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "custos",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "custos", targets: ["custos"]),
        .library(name: "CustosCore", targets: ["CustosCore"]),
        .library(name: "CustosStorage", targets: ["CustosStorage"]),
        .library(name: "CustosHTTP", targets: ["CustosHTTP"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/sqlite-nio.git", from: "1.13.2"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        // X509 (and SwiftASN1, its DER layer) parse client certificates (RFC 8705); both were resolved already.
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
    ],
    targets: [
        .target(
            name: "CustosCore",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "CustosStorage",
            dependencies: [
                "CustosCore",
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                // Only for `ConnectionPoolError` (the pool's circuit breaker), which PostgresNIO passes through as is.
                .product(name: "_ConnectionPoolModule", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "CustosHTTP",
            dependencies: [
                "CustosCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                // The HTTPS listener (RFC 8705 mutual TLS) is built on NIOSSL directly, see `MutualTLSChannel`.
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            // The OpenAPI document's JSON parts are compiled in by the plugin, not shipped as resources.
            exclude: ["OpenAPI/Document"],
            swiftSettings: swiftSettings,
            plugins: ["EmbedOpenAPIDocument"]
        ),
        // Merges and checks the OpenAPI document's parts at build time (see the plugin).
        .executableTarget(
            name: "openapi-embed",
            swiftSettings: swiftSettings
        ),
        .plugin(
            name: "EmbedOpenAPIDocument",
            capability: .buildTool(),
            dependencies: ["openapi-embed"]
        ),
        .executableTarget(
            name: "custos",
            dependencies: [
                "CustosCore",
                "CustosStorage",
                "CustosHTTP",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "CustosTestSupport",
            dependencies: [
                "CustosCore",
                .product(name: "Crypto", package: "swift-crypto"),
                "CustosStorage",
                "CustosHTTP",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/CustosTestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CustosCoreTests",
            dependencies: ["CustosCore", "CustosTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CustosStorageTests",
            dependencies: ["CustosCore", "CustosStorage", "CustosTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CustosHTTPTests",
            dependencies: [
                "CustosCore",
                "CustosStorage",
                "CustosHTTP",
                "CustosTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                // A client with a certificate against the real HTTPS listener (RFC 8705).
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
