import Foundation

/// A program a test runs beside the one it tests (a training script, a
/// TensorBoard writer): its output discarded, killed with SIGKILL on `stop()`
/// if still running (the test runner's children inherit SIGTERM ignored).
public final class BackgroundProcess {
  public let process = Process()

  /// Prepares `executable` with `arguments` (and extra `environment`); `start()` runs it.
  public init(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) {
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
    process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
    process.standardError = FileHandle(forWritingAtPath: "/dev/null")
  }

  public func start() throws { try process.run() }

  public var isRunning: Bool { process.isRunning }

  /// Waits for it to end by itself; its exit status.
  public func wait() -> Int32 {
    process.waitUntilExit()
    return process.terminationStatus
  }

  /// Kills it if it still runs, and reaps it.
  public func stop() {
    guard process.processIdentifier != 0 else { return }  // never started
    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()
  }
}
