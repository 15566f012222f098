/// A person's command to a run, whatever its source: applied by the
/// built-in trainer at the next mini-batch boundary, or written to a watched
/// run's commands file.
public enum ControlCommand: Sendable, Equatable {
  case togglePause
  case pause
  case resume
  /// Run this many mini-batches, then pause (the `n` key).
  case step(Int)
  case setLearningRate(Float)
  /// Multiply η (the `+`/`-` keys); never a roll-back.
  case scaleLearningRate(Float)
  /// After a divergence (the `d` key): back to the best measured weights
  /// before it, η ÷ 10. Logged as a `rollback` event.
  case rollBack
  case reinitialize
  /// One rung of the pace ladder slower (`<`) or faster (`>`).
  case stepPace(faster: Bool)
  case save(path: String)
  case stop
}

/// Where a source's commands go: one implementation per source (the
/// built-in trainer's queue; a watched run's commands file). Replay and
/// read-only sources have none.
public protocol RunControl: Sendable {
  func send(_ command: ControlCommand)
}

/// Steering a replay (the dashboard's keys in replay mode).
public enum ReplayCommand: Sendable, Equatable {
  case togglePause
  case faster
  case slower
  case seekStart
  case seekEnd
  /// Jump back or forward by a twentieth of the run.
  case back
  case forward
}
