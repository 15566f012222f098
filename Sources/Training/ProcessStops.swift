import Synchronization

/// Time the whole process spent stopped (Ctrl-Z, then `fg`), which is not
/// training time. Whoever stops the process says so around the stop
/// (`stopping()` before, `resumed()` after); the trainer subtracts what
/// `stoppedSeconds` grew by during a step. Both are lock-free atomics, so
/// they may be called from a signal handler.
public enum ProcessStops {
  private static let reference = ContinuousClock.now
  /// Nanoseconds of the stops that ended.
  private static let total = Atomic<Int64>(0)
  /// When the stop in progress began (nanoseconds since `reference`, which
  /// can be just below 0 on first use), or `none`.
  private static let began = Atomic<Int64>(none)
  private static let none = Int64.min

  private static var nowNanoseconds: Int64 {
    let d = ContinuousClock.now - reference
    return d.components.seconds * 1_000_000_000 + d.components.attoseconds / 1_000_000_000
  }

  /// The process is about to stop.
  public static func stopping() { began.store(nowNanoseconds, ordering: .relaxed) }

  /// The process goes on after a stop.
  public static func resumed() {
    let start = began.exchange(none, ordering: .relaxed)
    guard start != none else { return }
    total.add(max(nowNanoseconds - start, 0), ordering: .relaxed)
  }

  /// Seconds spent stopped so far; a stop not yet ended counts up to now (a
  /// thread that runs again before the stopper has said `resumed()`).
  public static var stoppedSeconds: Double {
    let start = began.load(ordering: .relaxed)
    let pending = start != none ? max(nowNanoseconds - start, 0) : 0
    return Double(total.load(ordering: .relaxed) + pending) / 1e9
  }
}
