import Synchronization

/// Time the whole process spent stopped (Ctrl-Z, then `fg`), which is not
/// training time. Whoever stops the process says so around the stop
/// (`stopping()` before, `resumed()` after); the trainer subtracts what
/// `stoppedSeconds` grew by during a step. Both are lock-free atomics, so
/// they may be called from a signal handler.
public final class ProcessStops: Sendable {
  /// The process's own (tests make their own, not to disturb other tests' trainers).
  public static let shared = ProcessStops()

  private let reference = ContinuousClock.now
  /// Nanoseconds of the stops that ended.
  private let total = Atomic<Int64>(0)
  /// When the stop in progress began (nanoseconds since `reference`), or `none`.
  private let began = Atomic<Int64>(ProcessStops.none)
  private static let none = Int64.min

  public init() {}

  private var nowNanoseconds: Int64 {
    let d = ContinuousClock.now - reference
    return d.components.seconds * 1_000_000_000 + d.components.attoseconds / 1_000_000_000
  }

  /// The process is about to stop.
  public func stopping() { began.store(nowNanoseconds, ordering: .relaxed) }

  /// The process goes on after a stop.
  public func resumed() {
    let start = began.exchange(Self.none, ordering: .relaxed)
    guard start != Self.none else { return }
    total.add(max(nowNanoseconds - start, 0), ordering: .relaxed)
  }

  /// Seconds spent stopped so far; a stop not yet ended counts up to now (a
  /// thread that runs again before the stopper has said `resumed()`).
  public var stoppedSeconds: Double {
    let start = began.load(ordering: .relaxed)
    let pending = start != Self.none ? max(nowNanoseconds - start, 0) : 0
    return Double(total.load(ordering: .relaxed) + pending) / 1e9
  }
}
