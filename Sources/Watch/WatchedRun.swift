import Diagnosis
import Foundation
import RunEvents

/// A run nntop did not train, followed through its run directory (or its
/// log): the log's events folded into a `RunView` by the one reducer, each
/// sample's layers judged by the same `HealthMonitor` as the built-in
/// engine's (the training process sends statistics, never verdicts), and
/// whether the process is still there.
public struct WatchedRun {
  /// The run directory; the log inside it is `log.jsonl`.
  public let directory: String
  public let logPath: String
  public var commandsPath: String { directory + "/commands.jsonl" }
  public private(set) var view: RunView?
  private var follower: LogFollower
  private var monitor: HealthMonitor?
  private let thresholds: HealthThresholds
  private var ended = false
  private var lastLivenessCheck = -Double.infinity
  /// The process id and host the header named.
  private var process: (pid: Int32, host: String)?
  /// `pytorch · vm · pid 4242`, as the header says.
  private var origin: String?

  /// `path`: a run directory, or a run log inside one.
  public init(path: String, thresholds: HealthThresholds = HealthThresholds()) {
    var isDirectory: ObjCBool = false
    let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
    if exists && !isDirectory.boolValue || path.hasSuffix(".jsonl") {
      logPath = path
      directory = (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent
    } else {
      directory = path
      logPath = (path as NSString).appendingPathComponent("log.jsonl")
    }
    follower = LogFollower(path: logPath)
    self.thresholds = thresholds
  }

  /// Lines skipped as damaged.
  public var warnings: [String] { follower.warnings }

  /// Reads what the log gained and checks the process now and then (`now`:
  /// seconds on any steady clock); true when the view changed.
  public mutating func poll(now: Double) -> Bool {
    let update = follower.poll()
    var changed = false
    if update.restarted {
      view = nil
      monitor = nil
      ended = false
      changed = true
    }
    for event in update.events {
      fold(event)
      changed = true
    }
    if now - lastLivenessCheck >= 1 {
      lastLivenessCheck = now
      changed = checkProcess() || changed
    }
    return changed
  }

  private mutating func fold(_ event: RunEvent) {
    switch event {
    case .run(let header):
      view = RunView(header: header)
      monitor = HealthMonitor(thresholds: thresholds, header: header)
      ended = false
      process = header.pid.map { (Int32(truncatingIfNeeded: $0), header.host ?? "") }
      origin = header.origin
    case .sample(let sample) where monitor != nil:
      view?.apply(.sample(monitor!.judge(sample)))
    case .summary:
      ended = true
      view?.apply(event)
      setLiveness("run ended")
    default:
      view?.apply(event)
    }
  }

  /// Whether the training process still runs (same host only); false when
  /// nothing changed.
  private mutating func checkProcess() -> Bool {
    guard !ended, let process, process.host.isEmpty || process.host == Self.hostName, view != nil else { return false }
    let alive = kill(process.pid, 0) == 0 || errno == EPERM
    guard !alive else { return false }
    ended = true
    view?.state = .stopped
    view?.notify("the training process (pid \(process.pid)) is gone: it ended without a summary", .warning)
    setLiveness("process gone")
    return true
  }

  private mutating func setLiveness(_ liveness: String) {
    view?.origin = [origin, liveness].compactMap { $0 }.joined(separator: " · ")
  }

  static let hostName: String = {
    var buffer = [CChar](repeating: 0, count: 256)
    return gethostname(&buffer, buffer.count) == 0 ? String(cString: buffer) : ""
  }()
}
