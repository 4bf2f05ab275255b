// swift-tools-version:6.2
import PackageDescription

let contrail: Target.Dependency = .product(name: "Contrail", package: "contrail")
let contrailKit: Target.Dependency = .product(name: "ContrailKit", package: "contrail")

// A package of its own, as yours would be: it depends on Contrail by path here, by URL in your project.
let package = Package(
    name: "Examples",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "contrail", path: ".."),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.0.0"),
    ],
    targets: [
        .executableTarget(name: "HelloHTTP", dependencies: [contrail, contrailKit]),
        // The functions apart from their main, so that the tests import exactly what the program serves.
        .target(
            name: "GreetingsFunctions",
            dependencies: [contrailKit, .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .executableTarget(name: "Greetings", dependencies: ["GreetingsFunctions", contrail, contrailKit]),
        .testTarget(
            name: "GreetingsTests",
            dependencies: [
                "GreetingsFunctions", contrailKit, .product(name: "ContrailTesting", package: "contrail"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
