// swift-tools-version: 6.1
// libFuzzer targets for nntop's parsers: one executable per target. They
// only link with the fuzzer runtime (it provides `main`), so build them with
// `Fuzz/run` or:
//   swift build -c release --package-path Fuzz --scratch-path Fuzz/.build \
//     --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
//     (one -sanitize= flag for swiftc: it keeps only the last; Fuzz/README.md)
import PackageDescription

let package = Package(
  name: "nntop-fuzz",
  platforms: [.macOS(.v15)],
  dependencies: [
    .package(name: "nntop", path: "..")
  ],
  targets: [
    .target(name: "FuzzSupport"),
    .executableTarget(
      name: "FuzzCSV",
      dependencies: [.product(name: "Datasets", package: "nntop"), "FuzzSupport"]),
    .executableTarget(
      name: "FuzzIDX",
      dependencies: [.product(name: "Datasets", package: "nntop"), "FuzzSupport"]),
    .executableTarget(
      name: "FuzzSafetensors",
      dependencies: [.product(name: "Interop", package: "nntop"), .product(name: "Training", package: "nntop")]),
    .executableTarget(
      name: "FuzzRunLog",
      dependencies: [
        .product(name: "RunEvents", package: "nntop"), .product(name: "Interop", package: "nntop"), .product(name: "Training", package: "nntop"),
      ]),
    .executableTarget(
      name: "FuzzTheme",
      dependencies: [.product(name: "Dashboard", package: "nntop")]),
  ],
  swiftLanguageModes: [.v6]
)
