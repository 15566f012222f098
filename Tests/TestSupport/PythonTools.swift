import Foundation

/// The Python interpreter the interoperability tests run (NumPy, safetensors,
/// tensorboard): `$NNTOP_PYTHON`, else the virtual environment `.ci/run`
/// makes in `.build/python`, else `python3`.
///
/// Where none has the packages the tests are skipped — unless
/// `NNTOP_REQUIRE_PYTHON=1` (as `.ci/run` sets), when they fail instead, so
/// CI never skips them.
public enum PythonTools {
  public static let modules = ["numpy", "safetensors", "tensorboard"]

  public static let interpreter: String? = {
    let env = ProcessInfo.processInfo.environment
    let candidates = [env["NNTOP_PYTHON"], NNTopProcess.packageRoot + "/.build/python/bin/python", "/usr/bin/env python3"].compactMap { $0 }
    return candidates.first { candidate in
      (try? run(candidate, ["-c", "import " + modules.joined(separator: ", ")]))?.status == 0
    }
  }()

  /// The interpreter with PyTorch and this repository's `python/` package
  /// (`pip install -e python`, as `.ci/run` does), for the watched-run tests.
  public static let torchInterpreter: String? = {
    let env = ProcessInfo.processInfo.environment
    let candidates = [env["NNTOP_PYTHON"], NNTopProcess.packageRoot + "/.build/python/bin/python"].compactMap { $0 }
    return candidates.first { candidate in (try? run(candidate, ["-c", "import torch, nntop.torch"]))?.status == 0 }
  }()

  /// Whether the PyTorch tests should run (they fail without torch under `NNTOP_REQUIRE_PYTHON`).
  public static var torchShouldRun: Bool { torchInterpreter != nil || required }

  public static var required: Bool { ProcessInfo.processInfo.environment["NNTOP_REQUIRE_PYTHON"] == "1" }

  /// Whether the tests should run: the packages are there, or CI demands them.
  public static var shouldRun: Bool { interpreter != nil || required }

  /// The script `Tests/Python/NAME` with `arguments`.
  public static func script(_ name: String, _ arguments: [String]) throws -> NNTopProcess.Result {
    guard let interpreter else {
      throw Failure(description: "no Python with \(modules.joined(separator: ", ")): run .ci/run or set NNTOP_PYTHON")
    }
    return try run(interpreter, [NNTopProcess.packageRoot + "/Tests/Python/" + name] + arguments)
  }

  public struct Failure: Error, CustomStringConvertible {
    public var description: String
  }

  /// Runs `command` (an interpreter, say) with `arguments` and waits for it.
  public static func run(_ command: String, _ arguments: [String]) throws -> NNTopProcess.Result {
    let parts = command.split(separator: " ").map(String.init)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: parts[0])
    process.arguments = Array(parts.dropFirst()) + arguments
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return NNTopProcess.Result(
      status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self),
      exitedNormally: process.terminationReason == .exit)
  }
}
