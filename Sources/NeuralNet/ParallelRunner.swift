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

/// Raw pointers handed to worker threads.
///
/// `@unchecked Sendable` is safe because of how the engine uses it: every
/// parallel region writes disjoint parts of the pointed-to memory (separate
/// row or column ranges of C, separate packing buffers), and
/// `ParallelRunner.run` returns only after every item is done, so no access
/// outlives the caller's ownership of the memory.
struct SharedPointers: @unchecked Sendable {
  var a: UnsafePointer<Float>
  var b: UnsafePointer<Float>
  var c: UnsafeMutablePointer<Float>
}
