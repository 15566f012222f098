import Foundation
import NeuralNet
import Synchronization

/// Persistent worker threads for the engine's large matrix products.
///
/// `run` opens a job — a counter of items to claim — by making the
/// generation odd; workers spin on the generation for a short while (a
/// training step issues several products back to back, so joining must take
/// well under a microsecond), then sleep on a condition. Everyone, the caller
/// included, claims items until none are left, so a worker that is slow to
/// wake (or descheduled) only means the caller does more items itself. The
/// caller then closes the job (generation even) and waits until no worker is
/// inside it, so the one job record is reused without allocation.
///
/// `@unchecked Sendable` is safe: shared mutable state is atomics, plus
/// `items` and `task`, which the caller writes before opening a job
/// (sequentially consistent generation increment) and clears after closing
/// it and seeing `inside` at 0, while workers read them only between
/// entering (incrementing `inside`, then re-checking that the job is still
/// the one they saw open) and leaving; and the condition, used under its
/// own lock.
public final class WorkerPool: ParallelRunner, @unchecked Sendable {
  public let threadCount: Int
  /// Odd while a job is open.
  private let generation = Atomic<Int>(0)
  private let next = Atomic<Int>(0)
  private let done = Atomic<Int>(0)
  private let inside = Atomic<Int>(0)
  private let sleepers = Atomic<Int>(0)
  private let stopping = Atomic<Bool>(false)
  private let exited = Atomic<Int>(0)
  private let condition = NSCondition()
  private var items = 0
  private var task: ParallelTask?
  /// Busy-wait turns, each a `pause`, before a worker sleeps: about 50 µs
  /// at the 25 ns a pause takes on a Zen 4 (longer where it is slower),
  /// more than a step's forward pass between two jobs of a small network.
  private static let spinLimit = 2_000

  /// A pool where up to `threads` threads share each job: the caller and
  /// `threads − 1` workers.
  public init(threads: Int) {
    threadCount = max(threads, 1)
    for index in 1..<threadCount {
      let thread = Thread { [self] in
        KernelSet.flushSubnormals()
        workerLoop(index)
      }
      thread.name = "nntop-gemm-\(index)"
      thread.start()
    }
  }

  /// Stops the workers and waits for them to exit (idempotent).
  public func shutdown() {
    guard !stopping.exchange(true, ordering: .sequentiallyConsistent) else { return }
    generation.wrappingAdd(2, ordering: .sequentiallyConsistent)
    wakeSleepers(force: true)
    while exited.load(ordering: .acquiring) < threadCount - 1 { sched_yield() }
  }

  public func run(items count: Int, _ job: ParallelTask) {
    guard threadCount > 1, count > 1 else {
      for i in 0..<count { job.run(item: i, participant: 0) }
      return
    }
    items = count
    task = job
    done.store(0, ordering: .relaxed)
    next.store(0, ordering: .relaxed)
    generation.wrappingAdd(1, ordering: .sequentiallyConsistent)  // open (odd)
    wakeSleepers(force: false)
    drain(participant: 0)
    while done.load(ordering: .acquiring) < count { KernelSet.spinPause() }
    generation.wrappingAdd(1, ordering: .sequentiallyConsistent)  // closed (even)
    while inside.load(ordering: .sequentiallyConsistent) > 0 { KernelSet.spinPause() }
    task = nil
  }

  /// Claims and runs items until none are left.
  @inline(__always)
  private func drain(participant: Int) {
    while true {
      let item = next.add(1, ordering: .relaxed).oldValue
      guard item < items else { return }
      task?.run(item: item, participant: participant)
      done.add(1, ordering: .releasing)
    }
  }

  private func wakeSleepers(force: Bool) {
    guard force || sleepers.load(ordering: .sequentiallyConsistent) > 0 else { return }
    condition.lock()
    condition.broadcast()
    condition.unlock()
  }

  private func workerLoop(_ index: Int) {
    // Generation 0 is "no job yet": a job opened before this thread got
    // going must still be seen, so the start is not read from the counter.
    var seen = 0
    while true {
      var spins = 0
      while generation.load(ordering: .acquiring) == seen {
        KernelSet.spinPause()
        spins += 1
        if spins >= Self.spinLimit {
          sleepers.add(1, ordering: .sequentiallyConsistent)
          condition.lock()
          while generation.load(ordering: .sequentiallyConsistent) == seen { condition.wait() }
          condition.unlock()
          sleepers.subtract(1, ordering: .sequentiallyConsistent)
        }
      }
      seen = generation.load(ordering: .sequentiallyConsistent)
      if stopping.load(ordering: .sequentiallyConsistent) {
        exited.add(1, ordering: .releasing)
        return
      }
      guard seen & 1 == 1 else { continue }  // a job closed before we got here
      inside.add(1, ordering: .sequentiallyConsistent)
      if generation.load(ordering: .sequentiallyConsistent) == seen { drain(participant: index) }
      inside.subtract(1, ordering: .sequentiallyConsistent)
    }
  }
}
