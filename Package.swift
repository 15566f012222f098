// swift-tools-version: 6.1
import PackageDescription

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
    // The vectorised kernels, one C source compiled per instruction set
    // (baseline, AVX2 + FMA, AVX-512) and chosen at run time: nothing here
    // depends on the machine that builds, so the binary runs on any x86-64.
    .target(name: "CKernels"),
    .target(name: "NeuralNet", dependencies: ["CKernels"]),
    .target(
      name: "Datasets",
      dependencies: ["NeuralNet", "NumberFormat", "RunEvents", "CZlib"],
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
    .target(name: "Training", dependencies: ["NeuralNet", "Datasets", "RunEvents", "Diagnosis", "Interop", "NumberFormat"]),
    // The peer benchmark's workloads on the engine (`nntop bench`), kept out of Training's API.
    .target(name: "PeerBenchmark", dependencies: ["NeuralNet", "Training"]),
    .target(
      name: "Dashboard",
      dependencies: ["RunEvents", "Diagnosis", "NumberFormat"],
      exclude: ["Theme/embed-themes.py"]
    ),
    .systemLibrary(name: "CNcurses"),
    // zlib, for .csv.gz data files.
    .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
    .target(name: "CTerminalGuard", linkerSettings: [.linkedLibrary("ncursesw")]),
    .target(name: "Terminal", dependencies: ["Dashboard", "CNcurses", "CTerminalGuard"]),
    .executableTarget(
      name: "nntop",
      dependencies: [
        "NeuralNet", "NumberFormat", "Datasets", "RunEvents", "Diagnosis", "Interop", "Training", "Watch", "PeerBenchmark", "Dashboard", "Terminal",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
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
