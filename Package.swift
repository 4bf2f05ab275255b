// swift-tools-version:6.2
import PackageDescription

/// One set of language settings for every target, so that no module drifts from the house rules.
let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "contrail",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "contrail", targets: ["ContrailCommand"]),
        .library(name: "Contrail", targets: ["Contrail"]),
        .library(name: "ContrailKit", targets: ["ContrailKit"]),
        .library(name: "ContrailHost", targets: ["ContrailHost"]),
        .library(name: "ContrailTesting", targets: ["ContrailTesting"]),
        .library(name: "PubSubEmulator", targets: ["PubSubEmulator"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.3.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.20.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.0.0"),
        .package(url: "https://github.com/swift-otel/swift-w3c-trace-context.git", from: "1.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.0.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.25.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.0.0"..<"5.0.0"),
        .package(url: "https://github.com/swift-extras/swift-extras-base64.git", from: "1.0.0"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.0.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.20.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.1.0"),
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.1.0"),
        .package(url: "https://github.com/apple/swift-service-context.git", from: "1.0.0"),
        // Only the OTLP/HTTP exporter: the gRPC one would add minutes to every clean build for no user need.
        .package(url: "https://github.com/swift-otel/swift-otel.git", from: "1.0.0", traits: ["OTLPHTTP"]),
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
        .package(url: "https://github.com/grpc/grpc-swift-2.git", from: "2.4.0"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf.git", from: "2.4.0"),
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport.git", from: "2.9.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.0.0"),
    ],
    targets: [
        // The handler API users write against: no server, no storage, no globals.
        .target(
            name: "ContrailKit",
            dependencies: [
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Runtime/ContrailKit",
            swiftSettings: swiftSettings
        ),
        // The one deadline: `withDeadline`, on an event-loop timer, for the host, the Pub/Sub service and the
        // PostgreSQL store. Apart from ContrailKit, so that the API functions are written against needs no SwiftNIO.
        .target(
            name: "Deadline",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Runtime/Deadline",
            swiftSettings: swiftSettings
        ),
        // Hosts a registry of functions over HTTP exactly as Cloud Run and Cloud Functions would.
        .target(
            name: "ContrailHost",
            dependencies: [
                "ContrailKit",
                "Deadline",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "W3CTraceContext", package: "swift-w3c-trace-context"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Instrumentation", package: "swift-distributed-tracing"),
                .product(name: "ServiceContextModule", package: "swift-service-context"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
            ],
            path: "Runtime/ContrailHost",
            swiftSettings: swiftSettings
        ),
        // What users import in their tests: deliver to a registry in-process, no socket.
        .target(
            name: "ContrailTesting",
            dependencies: ["ContrailKit", "ContrailHost"],
            path: "Runtime/ContrailTesting",
            swiftSettings: swiftSettings
        ),
        // A local Pub/Sub v1 REST service persisted in SQLite.
        .target(
            name: "PubSubEmulator",
            dependencies: [
                "ContrailKit",
                "Deadline",
                "PubSubProtocol",
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2Posix", package: "grpc-swift-nio-transport"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "ExtrasBase64", package: "swift-extras-base64"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            path: "Runtime/PubSubEmulator",
            swiftSettings: swiftSettings
        ),
        // `contrail dev`'s console: the pipeline in a browser, with test controls, on loopback.
        .target(
            name: "ContrailConsole",
            dependencies: [
                "ContrailHost",
                "ContrailKit",
                "PubSubEmulator",
                "PubSubProtocol",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Runtime/ContrailConsole",
            swiftSettings: swiftSettings
        ),
        // google.pubsub.v1's messages and gRPC service protocols, generated by scripts/generate-pubsub-grpc.sh and
        // committed, so that no build runs a protoc plugin.
        .target(
            name: "PubSubProtocol",
            dependencies: [
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            path: "Runtime/PubSubProtocol",
            exclude: ["Generated/SOURCE"],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        // The reference app. Knows the handler API and its store, nothing of the server.
        .target(
            name: "Functions",
            dependencies: [
                "ContrailKit",
                "RecordStore",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ExtrasBase64", package: "swift-extras-base64"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            path: "Functions/ReferenceApp",
            resources: [.copy("openapi.json")],
            swiftSettings: swiftSettings
        ),
        // The analytics store's contract, shared by every adapter.
        .target(
            name: "RecordStore",
            dependencies: [
                "ContrailKit",
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            path: "Functions/RecordStore",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "RecordStoreSQLite",
            dependencies: ["ContrailKit", "RecordStore", .product(name: "GRDB", package: "GRDB.swift")],
            path: "Functions/RecordStoreSQLite",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "RecordStorePostgres",
            dependencies: [
                "Deadline",
                "RecordStore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Functions/RecordStorePostgres",
            swiftSettings: swiftSettings
        ),
        // What the executable sets up before anything runs: a cap on malloc arenas (MallocArenas.c).
        .target(name: "CProcessTuning", path: "Runtime/CProcessTuning"),
        // The entry point an application calls from its own main: serve, dev and publish for any registry.
        .target(
            name: "Contrail",
            dependencies: [
                "CProcessTuning",
                "ContrailConsole",
                "ContrailHost",
                "ContrailKit",
                "PubSubEmulator",
                "PubSubProtocol",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "OTel", package: "swift-otel"),
            ],
            path: "Runtime/Contrail",
            swiftSettings: swiftSettings
        ),
        // The reference app's own main, written against Contrail's public API: the store DATABASE_URL names.
        .executableTarget(
            name: "ContrailCommand",
            dependencies: [
                "Contrail",
                "ContrailHost",
                "Functions",
                "RecordStore",
                "RecordStoreSQLite",
                "RecordStorePostgres",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Functions/ContrailCommand",
            swiftSettings: swiftSettings,
            linkerSettings: [
                // Packed relative relocations (DT_RELR): a PIE binary of this size otherwise carries 4 MB of
                // relocation records that the loader reads at every start and that stay resident. gold, the
                // default linker here, cannot write them; lld ships with the toolchain.
                .unsafeFlags(
                    [
                        "-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs", "-Xlinker",
                        "--no-export-dynamic",
                    ],
                    .when(platforms: [.linux])
                )
            ]
        ),
        .testTarget(
            name: "ContrailKitTests",
            dependencies: [
                "ContrailKit",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/ContrailKitTests",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ContrailHostTests",
            dependencies: [
                "ContrailKit",
                "ContrailHost",
                "ContrailTesting",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "InMemoryLogging", package: "swift-log"),
            ],
            path: "Tests/ContrailHostTests",
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ContrailEndToEndTests",
            dependencies: [
                "Contrail",
                "ContrailCommand",
                "ContrailHost",
                "ContrailKit",
                "PubSubEmulator",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Tests/ContrailEndToEndTests",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RecordStoreTests",
            dependencies: [
                "RecordStore",
                "RecordStoreSQLite",
                "RecordStorePostgres",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/RecordStoreTests",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PubSubEmulatorTests",
            dependencies: [
                "PubSubEmulator",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/PubSubEmulatorTests",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ContrailConsoleTests",
            dependencies: [
                "ContrailConsole",
                "ContrailHost",
                "ContrailKit",
                "PubSubEmulator",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Tests/ContrailConsoleTests",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "FunctionsTests",
            dependencies: [
                "Functions",
                "ContrailKit",
                "ContrailHost",
                "ContrailTesting",
                "RecordStore",
                "RecordStoreSQLite",
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            path: "Tests/FunctionsTests",
            swiftSettings: swiftSettings
        ),
    ]
)
