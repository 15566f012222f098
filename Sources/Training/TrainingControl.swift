import Foundation

/// A command from the person at the keyboard, applied by the trainer at the
/// next mini-batch boundary.
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
  case save(path: String)
  case stop
}

/// Commands travelling from the UI thread to the trainer thread: a queue
/// behind a condition, so a paused trainer sleeps until a command comes
/// instead of spinning.
///
/// `@unchecked Sendable` is safe: the only stored state, `queue`, is read and
/// written exclusively between `condition.lock()` and `condition.unlock()`;
/// `condition` itself is thread-safe.
public final class TrainingControl: @unchecked Sendable {
  private let condition = NSCondition()
  private var queue: [ControlCommand] = []

  public init() {}

  public func send(_ command: ControlCommand) {
    condition.lock()
    queue.append(command)
    condition.signal()
    condition.unlock()
  }

  /// Takes every queued command without waiting.
  public func take() -> [ControlCommand] {
    condition.lock()
    defer { condition.unlock() }
    guard !queue.isEmpty else { return [] }
    let commands = queue
    queue.removeAll(keepingCapacity: true)
    return commands
  }

  /// Waits until a command arrives (or `timeout` passes), then takes them all.
  public func waitForCommands(timeout: Double) -> [ControlCommand] {
    condition.lock()
    defer { condition.unlock() }
    let deadline = Date(timeIntervalSinceNow: timeout)
    while queue.isEmpty {
      if !condition.wait(until: deadline) { break }
    }
    let commands = queue
    queue.removeAll(keepingCapacity: true)
    return commands
  }
}
