/// Runs work on several threads at once. The engine uses it to split large
/// matrix products; the layer that may create threads provides it
/// (`Training.WorkerPool`), so this module stays standard-library only.
public protocol ParallelRunner: AnyObject, Sendable {
  /// Threads that take part, the caller included.
  var threadCount: Int { get }
  /// Calls `work(i)` for every i in 0..<threadCount at once (i = 0 on the
  /// calling thread) and returns when all have finished.
  func run(_ work: @Sendable (Int) -> Void)
}

/// Raw pointers handed to worker threads.
///
/// `@unchecked Sendable` is safe because of how the engine uses it: every
/// parallel region writes disjoint parts of the pointed-to memory (separate
/// row or column ranges of C, separate packing buffers), and
/// `ParallelRunner.run` returns only after every worker has finished, so no
/// access outlives the caller's ownership of the memory.
struct SharedPointers: @unchecked Sendable {
  var a: UnsafePointer<Float>
  var b: UnsafePointer<Float>
  var c: UnsafeMutablePointer<Float>
}
