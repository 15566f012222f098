import Foundation
import NeuralNet
import Synchronization

/// Persistent worker threads for the engine's large matrix products.
///
/// `run` publishes a job by bumping a generation counter; workers spin on it
/// for a short while (a training step issues several products back to back,
/// so waking must take well under a microsecond) and then sleep on a
/// condition until the next job. The caller runs its own share and spins
/// until every worker has reported done.
///
/// `@unchecked Sendable` is safe: `job` is written only by the caller of
/// `run`, before the generation counter is incremented with release ordering,
/// and read by workers only after they observe the new generation with
/// acquire ordering; `run` clears it only after every worker has finished
/// (release increments of `finished`, acquire loads by the caller). The
/// condition and its `sleepers` count are used only under `condition`'s lock
/// or through atomics.
public final class WorkerPool: ParallelRunner, @unchecked Sendable {
  public let threadCount: Int
  private let generation = Atomic<Int>(0)
  private let finished = Atomic<Int>(0)
  private let sleepers = Atomic<Int>(0)
  private let stopping = Atomic<Bool>(false)
  private let exited = Atomic<Int>(0)
  private let condition = NSCondition()
  private var job: (@Sendable (Int) -> Void)?
  /// Busy-wait iterations before a worker sleeps (tens of microseconds).
  private static let spinLimit = 200_000

  /// A pool where `threads` threads take part in each job: the caller and
  /// `threads − 1` workers.
  public init(threads: Int) {
    threadCount = max(threads, 1)
    for index in 1..<threadCount {
      let thread = Thread { [self] in work(index) }
      thread.name = "nntop-gemm-\(index)"
      thread.start()
    }
  }

  deinit { shutdown() }

  /// Stops the workers and waits for them to exit (idempotent).
  public func shutdown() {
    guard !stopping.exchange(true, ordering: .sequentiallyConsistent) else { return }
    generation.wrappingAdd(1, ordering: .sequentiallyConsistent)
    condition.lock()
    condition.broadcast()
    condition.unlock()
    while exited.load(ordering: .acquiring) < threadCount - 1 { sched_yield() }
  }

  public func run(_ work: @Sendable (Int) -> Void) {
    guard threadCount > 1 else {
      work(0)
      return
    }
    withoutActuallyEscaping(work) { escapable in
      job = escapable
      finished.store(0, ordering: .relaxed)
      generation.wrappingAdd(1, ordering: .sequentiallyConsistent)
      if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
        condition.lock()
        condition.broadcast()
        condition.unlock()
      }
      escapable(0)
      while finished.load(ordering: .acquiring) < threadCount - 1 {}
      job = nil
    }
  }

  private func work(_ index: Int) {
    // Generation 0 is "no job yet": a job published before this thread got
    // going must still be seen, so the start is not read from the counter.
    var seen = 0
    while true {
      var spins = 0
      while generation.load(ordering: .acquiring) == seen {
        spins += 1
        if spins >= Self.spinLimit {
          sleepers.add(1, ordering: .sequentiallyConsistent)
          condition.lock()
          while generation.load(ordering: .sequentiallyConsistent) == seen { condition.wait() }
          condition.unlock()
          sleepers.subtract(1, ordering: .sequentiallyConsistent)
        }
      }
      seen = generation.load(ordering: .acquiring)
      if stopping.load(ordering: .acquiring) {
        exited.add(1, ordering: .releasing)
        return
      }
      job?(index)
      finished.add(1, ordering: .releasing)
    }
  }
}
