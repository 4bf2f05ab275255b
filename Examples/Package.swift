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
    ],
    targets: [
        .executableTarget(name: "HelloHTTP", dependencies: [contrail, contrailKit]),
    ],
    swiftLanguageModes: [.v6]
)
