import Foundation
import RunEvents

/// Commands travelling from the UI thread to the trainer thread: a queue
/// behind a condition, so a paused trainer sleeps until a command comes
/// instead of spinning.
///
/// `@unchecked Sendable` is safe: the only stored state, `queue`, is read and
/// written exclusively between `condition.lock()` and `condition.unlock()`;
/// `condition` itself is thread-safe.
public final class TrainingControl: RunControl, @unchecked Sendable {
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
