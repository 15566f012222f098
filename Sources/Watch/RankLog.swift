import Diagnosis
import Foundation
import RunEvents

/// One log of a watched run (the only one, or one rank's): followed, folded
/// into a `RunView` by the one reducer, each sample's layers judged by the
/// same `HealthMonitor` as the built-in engine's, and whether its process
/// still runs.
struct RankLog {
  /// The rank its file name says (`log.jsonl` is rank 0).
  let rank: Int
  private(set) var view: RunView?
  private var follower: LogFollower
  private var monitor: HealthMonitor?
  private let thresholds: HealthThresholds
  /// The run ended with a summary, or its process is gone.
  private(set) var ended = false
  private(set) var processGone = false
  /// When (on the watcher's clock) the log last gained a line.
  private(set) var lastGrowth: Double
  /// Recent samples' (step, training time), for the pace.
  private var recent: [(step: Int, time: Double)] = []
  /// The last few measured steps' layers and verdicts, so ranks are compared at one step.
  private(set) var measured: [(step: Int, layers: [LayerStatistics], health: [LayerHealth])] = []

  init(path: String, rank: Int, thresholds: HealthThresholds, now: Double) {
    self.rank = rank
    self.thresholds = thresholds
    follower = LogFollower(path: path)
    lastGrowth = now
  }

  var warnings: [String] { follower.warnings }
  /// The log's header, once read.
  private(set) var header: RunHeader?

  /// Reads what the log gained; true when the view changed.
  mutating func poll(now: Double) -> Bool {
    let update = follower.poll()
    var changed = false
    if update.restarted {
      view = nil
      monitor = nil
      ended = false
      processGone = false
      recent = []
      measured = []
      changed = true
    }
    for event in update.events {
      fold(event)
      changed = true
    }
    if changed { lastGrowth = now }
    return changed
  }

  private mutating func fold(_ event: RunEvent) {
    switch event {
    case .run(let header):
      view = RunView(header: header)
      self.header = header
      monitor = HealthMonitor(thresholds: thresholds, header: header)
      ended = false
      recent = []
    case .sample(let sample) where monitor != nil:
      let judged = monitor!.judge(sample)
      view?.apply(.sample(judged))
      if !judged.layers.isEmpty {
        measured.append((judged.step, judged.layers, judged.health))
        if measured.count > 8 { measured.removeFirst() }
      }
      recent.append((sample.step, sample.time))
      // About the last ten seconds of training, at most 32 samples.
      while recent.count > 32 || (recent.count > 2 && sample.time - recent[0].time > 10) { recent.removeFirst() }
    case .epoch(let record) where monitor != nil:
      view?.apply(.epoch(monitor!.judge(record)))
    case .summary:
      ended = true
      view?.apply(event)
      setLiveness("run ended")
    default:
      view?.apply(event)
    }
  }

  /// Steps per second of training time over the recent samples.
  var stepsPerSecond: Double? {
    guard let first = recent.first, let last = recent.last, last.time > first.time, last.step > first.step else { return nil }
    return Double(last.step - first.step) / (last.time - first.time)
  }

  /// Whether the training process still runs (same host only); true when it
  /// was found gone just now.
  mutating func checkProcess() -> Bool {
    guard !ended, let header, let pid = header.pid, view != nil else { return false }
    let host = header.host ?? ""
    guard host.isEmpty || host == Self.hostName else { return false }
    let alive = kill(Int32(truncatingIfNeeded: pid), 0) == 0 || errno == EPERM
    guard !alive else { return false }
    ended = true
    processGone = true
    view?.state = .stopped
    view?.notify("the training process (pid \(pid)) is gone: it ended without a summary", .warning)
    setLiveness("process gone")
    return true
  }

  private mutating func setLiveness(_ liveness: String) {
    view?.origin = [header?.origin, liveness].compactMap { $0 }.joined(separator: " · ")
  }

  static let hostName: String = {
    var buffer = [CChar](repeating: 0, count: 256)
    return gethostname(&buffer, buffer.count) == 0 ? String(cString: buffer) : ""
  }()
}
