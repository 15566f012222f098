import CKernels

/// The GEMM driver's threads and scratch memory, reused across calls so a
/// training step allocates nothing: per thread, a packed B panel (KC × NR,
/// or a wider chunk for `gemm_sparse_a`), an edge tile (MR × NR) and the
/// lists of a sparse A's nonzeros (grown to the largest met).
///
/// The blocked product itself is C (`gemm_blocks` in the kernel set, GotoBLAS
/// order): per k block, per block of row tiles, each NR-column panel of op(B)
/// is packed contiguous (transposed if B is stored transposed, the last one
/// zero-padded), then every row tile of the block sweeps it. The packed panel
/// stays in L1 while A streams from L2; read in place, B's rows
/// (power-of-two bytes apart for widths like 128 or 256) fell into a few L1
/// sets and came from L2 again for every row tile. Large products are split
/// here by row tiles (or by column panels) over the `ParallelRunner`'s
/// threads, each packing the panels it needs.
public final class GEMMContext {
  /// Products with `m·n·k` at most this run through the direct loops.
  static let directLimit = Int(NNTOP_DIRECT_LIMIT)
  /// Products with `m·n·k` below this stay on one thread.
  static let parallelLimit = 1024 * 1024
  /// The deepest product `gemm_sparse_a` takes (one k block).
  static let sparseDepthLimit = Int(NNTOP_GEMM_KC)

  public let runner: ParallelRunner?
  /// Threads that take part in its work, the caller included (fixed at
  /// set-up, a `let`: the per-step checks read it with no dynamic call).
  public let threadCount: Int
  /// The kernel set (blocked product, micro-tiles, copies) every product of this context runs on.
  public let kernels: KernelSet
  private let task = GEMMTask()
  private let packB: [UnsafeMutablePointer<Float>]  // per thread: (KC, max(NR, sparse columns))
  private let tiles: [UnsafeMutablePointer<Float>]  // per thread: (MR, NR)
  private let nonzeroLists: [NonzeroLists]  // per thread

  /// - Parameters:
  ///   - runner: threads for large products; nil runs everything on the caller.
  ///   - kernels: the instruction set's kernels (tests force each).
  public init(runner: ParallelRunner? = nil, kernels: KernelSet = .active) {
    self.runner = runner
    self.kernels = kernels
    threadCount = runner?.threadCount ?? 1
    let mr = kernels.tileRows, nr = kernels.tileColumns, packed = max(nr, kernels.sparseColumns)
    // On cache lines: a vector read from a packed row must not straddle two.
    func lineAligned(_ count: Int) -> UnsafeMutablePointer<Float> {
      UnsafeMutableRawPointer.allocate(byteCount: count * MemoryLayout<Float>.stride, alignment: 64)
        .bindMemory(to: Float.self, capacity: count)
    }
    packB = (0..<threadCount).map { _ in lineAligned(Int(NNTOP_GEMM_KC) * packed) }
    tiles = (0..<threadCount).map { _ in lineAligned(mr * nr) }
    nonzeroLists = (0..<threadCount).map { _ in NonzeroLists() }
  }

  deinit {
    for p in packB + tiles { p.deallocate() }
  }

  /// One blocked product; with `thread`, on the calling thread alone with
  /// that participant's buffers (work the runner already spread over its
  /// threads), else split over the runner's threads when large. `sparseA`:
  /// through `gemm_sparse_a` (A as stored, k ≤ `sparseDepthLimit`).
  func run(
    _ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int, alpha: Float,
    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
    beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, thread: Int?, sparseA: Bool = false
  ) {
    let job = GEMMJob(
      product: nntop_gemm(
        trans_a: transA == .transposed ? 1 : 0, trans_b: transB == .transposed ? 1 : 0, m: m, n: n, k: k,
        alpha: alpha, beta: beta, a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc),
      packB: packB, tiles: tiles, nonzeroLists: sparseA ? nonzeroLists : nil, kernels: kernels)
    let rowTiles = (m + kernels.tileRows - 1) / kernels.tileRows
    let panels = (n + kernels.tileColumns - 1) / kernels.tileColumns
    let threads = threadCount
    let parallel = thread == nil && threads > 1 && m * n * k >= Self.parallelLimit && rowTiles * panels >= 2
    guard let runner, parallel else {
      job.compute(rowTiles: 0..<rowTiles, panels: 0..<panels, thread: thread ?? 0)
      return
    }
    // Contiguous runs of row tiles, one per thread: every run packs all of B
    // (four runs of mnist's ∂J/∂W₁ at two threads packed its transposed B four
    // times, a quarter of the product). With too few row tiles, runs of column
    // panels, two per thread, so a late or busy thread holds up at most half
    // its share (a run of panels packs only its own).
    task.job = job
    task.byRows = rowTiles >= 2 * threads
    task.chunks = task.byRows ? threads : min(2 * threads, panels)
    runner.run(items: task.chunks, task)
    task.job = nil
  }
}

/// The product being split, as the runner's threads see it.
///
/// `@unchecked Sendable` is safe: `job`, `byRows` and `chunks` are written by
/// the owning thread only outside `ParallelRunner.run`, and only read inside it.
final class GEMMTask: ParallelTask, @unchecked Sendable {
  var job: GEMMJob?
  var byRows = true
  /// Items: contiguous runs of row tiles (or panels).
  var chunks = 1

  func run(item: Int, participant: Int) {
    guard let job else { return }
    let mr = job.kernels.tileRows, nr = job.kernels.tileColumns
    let rowTiles = (job.product.m + mr - 1) / mr, panels = (job.product.n + nr - 1) / nr
    let count = byRows ? rowTiles : panels
    let run = (item * count / chunks)..<((item + 1) * count / chunks)
    if byRows {
      job.compute(rowTiles: run, panels: 0..<panels, thread: participant)
    } else {
      job.compute(rowTiles: 0..<rowTiles, panels: run, thread: participant)
    }
  }
}

/// One product, as the worker threads see it: its operands and the threads'
/// buffers.
///
/// `@unchecked Sendable` is safe: threads given different `thread` indices
/// write disjoint row tiles or column panels of C and their own `packB`,
/// `tiles` and `nonzeroLists` buffers; everything else is only read during the
/// parallel region, which the caller does not leave before all workers are done.
struct GEMMJob: @unchecked Sendable {
  let product: nntop_gemm
  let packB, tiles: [UnsafeMutablePointer<Float>]
  /// Per thread, for a product that skips A's zeros; nil: the blocked product.
  let nonzeroLists: [NonzeroLists]?
  let kernels: KernelSet

  func compute(rowTiles: Range<Int>, panels: Range<Int>, thread: Int) {
    withUnsafePointer(to: product) { g in
      if let nonzeroLists {
        let rows = min(rowTiles.count * kernels.tileRows, product.m)
        let lists = nonzeroLists[thread].reserve(rows * (product.k + 1))
        kernels.gemmSparseA(g, tiles: rowTiles, panels: panels, packB: packB[thread], scratch: tiles[thread], lists: lists)
      } else {
        kernels.gemmBlocks(g, tiles: rowTiles, panels: panels, packB: packB[thread], scratch: tiles[thread])
      }
    }
  }
}

/// One thread's room for the lists of a sparse A's nonzeros
/// (`gemm_sparse_a`), grown to the largest product it has met, so steps
/// after the first allocate nothing.
///
/// `@unchecked Sendable` is safe: only the participant whose index holds it
/// in `GEMMContext.nonzeroLists` calls `reserve` and uses the memory, and a
/// participant number is one thread's at any one time (`ParallelRunner`).
final class NonzeroLists: @unchecked Sendable {
  private var ints: UnsafeMutablePointer<Int32>?
  private var capacity = 0

  /// Room for `count` ints, valid until the next call.
  func reserve(_ count: Int) -> UnsafeMutablePointer<Int32> {
    if let ints, count <= capacity { return ints }
    ints?.deallocate()
    capacity = max(count, 2 * capacity)
    let grown = UnsafeMutablePointer<Int32>.allocate(capacity: capacity)
    ints = grown
    return grown
  }

  deinit { ints?.deallocate() }
}
