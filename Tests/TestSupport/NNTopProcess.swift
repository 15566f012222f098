import Foundation

/// Runs the built `nntop` binary as a user would, capturing its output.
public enum NNTopProcess {
  /// The `nntop` executable beside the test bundle (`swift test` builds it).
  public static var executable: String {
    let candidates = [
      URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("nntop").path,
      packageRoot + "/.build/debug/nntop",
    ]
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0]
  }

  /// Whether this is a ThreadSanitizer build (its runtime is loaded; the
  /// `nntop` beside it is built alike).
  public static let underThreadSanitizer = dlsym(nil, "__tsan_init") != nil

  /// The package's root folder.
  public static var packageRoot: String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
  }

  public struct Result: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
    /// How the process ended: normally (exit) or by a signal.
    public var exitedNormally: Bool
    public var stderrLines: [Substring] { stderr.split(separator: "\n") }
  }

  /// Runs `nntop arguments…` (with `shell`, `/bin/sh arguments…`) in
  /// `directory` and waits for it.
  public static func run(_ arguments: [String], in directory: String? = nil, environment: [String: String] = [:], shell: Bool = false) throws -> Result {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: shell ? "/bin/sh" : executable)
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    var env = ProcessInfo.processInfo.environment
    for (k, v) in environment { env[k] = v }
    process.environment = env
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    // Read both pipes concurrently so neither fills up.
    let group = DispatchGroup()
    nonisolated(unsafe) var errData = Data()
    group.enter()
    DispatchQueue.global().async {
      errData = err.fileHandleForReading.readDataToEndOfFile()
      group.leave()
    }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return Result(
      status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
      stderr: String(decoding: errData, as: UTF8.self), exitedNormally: process.terminationReason == .exit)
  }
}
