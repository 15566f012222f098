/// Runs work on several threads at once. The engine uses it to split large
/// matrix products; the layer that may create threads provides it
/// (`Training.WorkerPool`), so this module stays standard-library only.
public protocol ParallelRunner: AnyObject, Sendable {
  /// Threads that may take part, the caller included.
  var threadCount: Int { get }
  /// Calls `task.run(item:participant:)` once for every item in 0..<items,
  /// spread over the threads as they become free (the caller takes part as
  /// participant 0, so a busy or descheduled worker costs at most the item
  /// it holds); returns when every item is done. Participants have distinct
  /// numbers below `threadCount` at any one time.
  func run(items: Int, _ task: ParallelTask)
}

/// Work split into items. A class the caller keeps and reuses, so handing
/// it to the threads allocates nothing (a closure would box its captures).
public protocol ParallelTask: AnyObject, Sendable {
  func run(item: Int, participant: Int)
}
