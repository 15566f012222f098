import RunEvents
import Synchronization

/// The latest snapshot of the run's view, behind a lock: the trainer swaps a new one in, the UI
/// copies the reference out. Latest value wins; the lock is held only for the
/// swap, never while computing or drawing, so a slow UI skips snapshots and
/// never slows training.
public final class SnapshotChannel: Sendable {
  private struct Slot: Sendable {
    var sequence: UInt64 = 0
    var snapshot: RunView?
  }

  private let slot = Mutex(Slot())

  public init() {}

  /// Publishes `snapshot`; returns its sequence number.
  @discardableResult
  public func publish(_ snapshot: RunView) -> UInt64 {
    // Move the old value out under the lock and release it after, so its
    // deallocation (if the UI holds no reference) happens outside the lock.
    let (sequence, old) = slot.withLock { s -> (UInt64, RunView?) in
      let old = s.snapshot
      s.sequence &+= 1
      s.snapshot = snapshot
      return (s.sequence, old)
    }
    _ = old
    return sequence
  }

  /// The latest snapshot and its sequence number (0 and nil before the first).
  public func latest() -> (sequence: UInt64, snapshot: RunView?) {
    slot.withLock { ($0.sequence, $0.snapshot) }
  }

  /// The sequence number alone, to see cheaply whether anything changed.
  public var sequence: UInt64 { slot.withLock { $0.sequence } }
}
