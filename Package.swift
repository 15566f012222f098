// swift-tools-version: 6.1
import Foundation
import PackageDescription

/// SIMD code generation for the engine's kernels. Swift only emits inline
/// `vfmadd` for `SIMD8<Float>.addingProduct` when the target features are
/// enabled; without them every lane becomes a call to `fmaf`. The features
/// are taken from the build machine (like `-march=native`), so the package
/// still builds, on a slower path, where AVX2 is not available.
let hostCPUFlags: Set<Substring> = {
  guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
    let line = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") })
  else { return [] }
  return Set(line.split(separator: " "))
}()

let kernelFlags: [SwiftSetting] = {
  #if arch(x86_64)
    var flags: [String] = []
    var settings: [SwiftSetting] = []
    if hostCPUFlags.contains("avx2") && hostCPUFlags.contains("fma") {
      flags += ["-Xcc", "-mavx2", "-Xcc", "-mfma", "-Xcc", "-mf16c", "-Xcc", "-mbmi2"]
      // AVX-512: 16-lane vectors and 32 registers for the micro-kernel.
      if ["avx512f", "avx512dq", "avx512bw", "avx512vl"].allSatisfy({ hostCPUFlags.contains(Substring($0)) }) {
        flags += ["-Xcc", "-mavx512f", "-Xcc", "-mavx512dq", "-Xcc", "-mavx512bw", "-Xcc", "-mavx512vl"]
        settings.append(.define("NNTOP_AVX512"))
      }
    }
    return flags.isEmpty ? [] : [.unsafeFlags(flags)] + settings
  #else
    return []
  #endif
}()

let package = Package(
  name: "nntop",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "nntop", targets: ["nntop"]),
    // Libraries for the fuzz targets (Fuzz/Package.swift depends on this package by path).
    .library(name: "Datasets", targets: ["Datasets"]),
    .library(name: "RunEvents", targets: ["RunEvents"]),
    .library(name: "Interop", targets: ["Interop"]),
    .library(name: "Training", targets: ["Training"]),
    .library(name: "Dashboard", targets: ["Dashboard"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
  ],
  targets: [
    // Every number shown to a person, formatted once.
    .target(name: "NumberFormat"),
    .target(name: "NeuralNet", swiftSettings: kernelFlags),
    .target(
      name: "Datasets",
      dependencies: ["NeuralNet", "NumberFormat", "RunEvents"],
      exclude: ["Digits/digits.csv.gz", "Digits/PROVENANCE.md", "Digits/embed-digits.py"]
    ),
    // The typed run-event stream every source speaks, its JSONL codec, and
    // the one reducer to the view the dashboard draws.
    .target(name: "RunEvents", dependencies: ["NumberFormat"]),
    // Verdicts from statistics: pure, the same for every source.
    .target(name: "Diagnosis", dependencies: ["RunEvents", "NumberFormat"]),
    // Other programs' formats and files nntop writes: safetensors, TensorBoard
    // event files, the run log's writer, the SVG report, the output rules.
    .target(name: "Interop", dependencies: ["RunEvents", "NumberFormat"]),
    // Runs nntop did not train: following a run directory's log, its commands file.
    .target(name: "Watch", dependencies: ["RunEvents", "Diagnosis", "Interop", "NumberFormat"]),
    .target(name: "Training", dependencies: ["NeuralNet", "Datasets", "RunEvents", "Diagnosis", "Interop", "NumberFormat"], swiftSettings: kernelFlags),
    // The peer benchmark's workloads on the engine (`nntop bench`), kept out of Training's API.
    .target(name: "PeerBenchmark", dependencies: ["NeuralNet", "Training"], swiftSettings: kernelFlags),
    .target(
      name: "Dashboard",
      dependencies: ["RunEvents", "Diagnosis", "NumberFormat"],
      exclude: ["Theme/embed-themes.py"]
    ),
    .systemLibrary(name: "CNcurses"),
    .target(name: "CTerminalGuard", linkerSettings: [.linkedLibrary("ncursesw")]),
    .target(name: "Terminal", dependencies: ["Dashboard", "CNcurses", "CTerminalGuard"]),
    .executableTarget(
      name: "nntop",
      dependencies: [
        "NeuralNet", "NumberFormat", "Datasets", "RunEvents", "Diagnosis", "Interop", "Training", "Watch", "PeerBenchmark", "Dashboard", "Terminal",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: kernelFlags
    ),
    .target(name: "TestSupport", dependencies: ["NeuralNet"], path: "Tests/TestSupport"),
    .testTarget(name: "NeuralNetTests", dependencies: ["NeuralNet", "TestSupport"]),
    .testTarget(name: "DatasetsTests", dependencies: ["Datasets", "RunEvents", "NumberFormat", "TestSupport"]),
    .testTarget(name: "RunEventsTests", dependencies: ["RunEvents"]),
    .testTarget(name: "WatchTests", dependencies: ["Watch", "RunEvents", "TestSupport"]),
    .testTarget(name: "InteropTests", dependencies: ["Interop", "RunEvents", "Training", "Diagnosis", "TestSupport"]),
    .testTarget(name: "DiagnosisTests", dependencies: ["Diagnosis", "RunEvents", "NumberFormat"]),
    .testTarget(name: "TrainingTests", dependencies: ["Training", "Interop", "Datasets", "RunEvents", "Diagnosis", "PeerBenchmark", "NumberFormat", "TestSupport"]),
    // Golden/: whole screens as text, read by path (GoldenScreenTests).
    .testTarget(name: "DashboardTests", dependencies: ["Dashboard", "Training", "RunEvents", "Diagnosis", "NumberFormat", "TestSupport"], exclude: ["Golden"]),
    .testTarget(name: "nntopTests", dependencies: ["nntop", "NeuralNet", "RunEvents", "Interop", "Training", "Diagnosis", "NumberFormat", "TestSupport"]),
  ],
  swiftLanguageModes: [.v6]
)
