import CKernels

/// Scratch memory for the GEMM driver, reused across calls so a training step
/// allocates nothing: per thread, a packed bottom-edge A tile (k × MR) and an edge tile;
/// shared, the transposed B (k × n) of `NT` products and the zero-padded last
/// column panel of B.
///
/// The driver (GotoBLAS order): for each MR-row tile of C, sweep the
/// NR-column panels of B, read in place from row-major B; A is read in place
/// too (its rows, or for a transposed A its MR contiguous values per k), so
/// only a partial bottom tile of A is packed. Large products are split by row tiles (or by
/// column panels) over the `ParallelRunner`'s threads.
public final class GEMMContext {
  /// Products with `m·n·k` at most this run through the direct loops.
  static let directLimit = Int(NNTOP_DIRECT_LIMIT)
  /// Products with `m·n·k` below this stay on one thread.
  static let parallelLimit = 1024 * 1024

  public let runner: ParallelRunner?
  /// The micro-kernels and copies every product of this context runs on.
  public let kernels: KernelSet
  private let task = GEMMTask()
  private let transposeTask = TransposeTask()
  private var capacityK = 0
  private var capacityN = 0
  private var packA: [UnsafeMutablePointer<Float>] = []  // per thread: (k, MR)
  private var tiles: [UnsafeMutablePointer<Float>] = []  // per thread: (MR, NR)
  private var transposedB: UnsafeMutablePointer<Float>?  // (k, n)
  private var edgeB: UnsafeMutablePointer<Float>?  // (k, NR)

  /// - Parameters:
  ///   - maxK, maxN: the largest k and n expected (buffers grow if exceeded).
  ///   - runner: threads for large products; nil runs everything on the caller.
  ///   - kernels: the instruction set's kernels (tests force each).
  public init(maxK: Int = 0, maxN: Int = 0, runner: ParallelRunner? = nil, kernels: KernelSet = .active) {
    self.runner = runner
    self.kernels = kernels
    reserve(k: maxK, n: maxN)
  }

  deinit { release() }

  public var threadCount: Int { runner?.threadCount ?? 1 }

  private func release() {
    for p in packA + tiles { p.deallocate() }
    transposedB?.deallocate()
    edgeB?.deallocate()
  }

  /// Makes the buffers large enough for k × n products.
  func reserve(k: Int, n: Int) {
    guard k > capacityK || n > capacityN || packA.isEmpty else { return }
    release()
    capacityK = max(k, capacityK, 1)
    capacityN = max(n, capacityN, 1)
    let mr = kernels.tileRows, nr = kernels.tileColumns
    packA = (0..<threadCount).map { _ in .allocate(capacity: capacityK * mr) }
    tiles = (0..<threadCount).map { _ in .allocate(capacity: mr * nr) }
    transposedB = .allocate(capacity: capacityK * capacityN)
    edgeB = .allocate(capacity: capacityK * nr)
  }

  func run(
    _ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int, alpha: Float,
    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
    beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    reserve(k: k, n: n)
    let parallel = runner != nil && threadCount > 1 && m * n * k >= Self.parallelLimit
    // B as row-major (k, n): transpose it once if it is stored (n, k), on
    // every thread when the product is split (alone it would be the serial part).
    var bRows = b, bStride = ldb
    if transB == .transposed {
      if let runner, parallel {
        transposeTask.copy = TransposeTask.Copy(
          source: b, ld: ldb, rows: n, cols: k, destination: transposedB!, kernels: kernels, parts: threadCount)
        runner.run(items: threadCount, transposeTask)
        transposeTask.copy = nil
      } else {
        kernels.transpose(b, ld: ldb, rows: n, cols: k, into: transposedB!, ldd: n)
      }
      bRows = UnsafePointer(transposedB!)
      bStride = n
    }
    // The last, partial column panel, zero-padded to NR.
    let mr = kernels.tileRows, nr = kernels.tileColumns
    let fullColumns = n / nr * nr
    if fullColumns < n {
      let edge = edgeB!, width = n - fullColumns
      for p in 0..<k {
        let src = bRows + p * bStride + fullColumns, dst = edge + p * nr
        dst.update(from: src, count: width)
        (dst + width).update(repeating: 0, count: nr - width)
      }
    }
    let job = GEMMJob(
      transA: transA, m: m, n: n, k: k, alpha: alpha, lda: lda, bStride: bStride, beta: beta, ldc: ldc,
      pointers: SharedPointers(a: a, b: bRows, c: c), edge: UnsafePointer(edgeB!), packA: packA, tiles: tiles,
      kernels: kernels)
    let rowTiles = (m + mr - 1) / mr
    let panels = (n + nr - 1) / nr
    let threads = threadCount
    guard let runner, parallel, rowTiles * panels >= 2 else {
      job.compute(rowTiles: 0..<rowTiles, panels: 0..<panels, thread: 0)
      return
    }
    // Contiguous runs of row tiles (or of column panels, when there are few
    // row tiles), so each thread still sweeps a cached block of B with many
    // tiles (single tiles would each stream all of B: memory-bound, measured
    // no faster on two threads than on one). Two runs per thread, so a late or
    // busy thread holds up at most half its share.
    task.job = job
    task.byRows = rowTiles >= 2 * threads
    task.chunks = min(2 * threads, task.byRows ? rowTiles : panels)
    runner.run(items: task.chunks, task)
    task.job = nil
  }
}

/// A stored-transposed B turned row-major on every thread, each a run of B's rows.
///
/// `@unchecked Sendable` is safe: `copy` is written by the owning thread only
/// outside `ParallelRunner.run` and only read inside it; items write disjoint
/// columns of the destination.
final class TransposeTask: ParallelTask, @unchecked Sendable {
  struct Copy {
    let source: UnsafePointer<Float>
    let ld, rows, cols: Int
    let destination: UnsafeMutablePointer<Float>
    let kernels: KernelSet
    /// Items the rows are split into.
    let parts: Int
  }

  var copy: Copy?

  func run(item: Int, participant: Int) {
    guard let copy else { return }
    // Runs of whole 8-row blocks, so the 8 × 8 transposes stay whole.
    let blocks = (copy.rows + 7) / 8
    let lo = min(copy.rows, item * blocks / copy.parts * 8), hi = min(copy.rows, (item + 1) * blocks / copy.parts * 8)
    guard lo < hi else { return }
    copy.kernels.transpose(copy.source + lo * copy.ld, ld: copy.ld, rows: hi - lo, cols: copy.cols, into: copy.destination + lo, ldd: copy.rows)
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
    let rowTiles = (job.m + mr - 1) / mr, panels = (job.n + nr - 1) / nr
    let count = byRows ? rowTiles : panels
    let run = (item * count / chunks)..<((item + 1) * count / chunks)
    if byRows {
      job.compute(rowTiles: run, panels: 0..<panels, thread: participant)
    } else {
      job.compute(rowTiles: 0..<rowTiles, panels: run, thread: participant)
    }
  }
}

/// One product, as the worker threads see it: only values and pointers.
///
/// `@unchecked Sendable` is safe: threads given different `thread` indices
/// write disjoint row tiles or column panels of C and their own `packA` and
/// `tiles` buffers; everything else is only read during the parallel region,
/// which the caller does not leave before all workers are done.
struct GEMMJob: @unchecked Sendable {
  let transA: Transpose
  let m, n, k: Int
  let alpha: Float
  let lda, bStride: Int
  let beta: Float
  let ldc: Int
  let pointers: SharedPointers
  let edge: UnsafePointer<Float>
  let packA: [UnsafeMutablePointer<Float>]
  let tiles: [UnsafeMutablePointer<Float>]
  let kernels: KernelSet

  /// The deepest k block: an A tile slice (MR × KC) and a B panel slice
  /// (KC × NR) stay in L1. k is cut into equal blocks no deeper than this
  /// (784 into four of 196, not three of 256 and one of 16).
  static let kBlock = 256
  /// Column panels per block: a KC × (NC · NR) slice of B stays in L2 while
  /// every row tile sweeps it.
  static let panelBlock = 8

  func compute(rowTiles: Range<Int>, panels: Range<Int>, thread: Int) {
    let a = pointers.a, b = pointers.b, c = pointers.c
    let blocks = (k + Self.kBlock - 1) / Self.kBlock, depth = (k + blocks - 1) / blocks
    var p0 = 0
    repeat {
      let kb = min(depth, k - p0)
      // Later k blocks add to what the first wrote.
      let blockBeta = p0 == 0 ? beta : 1
      var firstPanel = panels.lowerBound
      while firstPanel < panels.upperBound {
        let panelRange = firstPanel..<min(firstPanel + Self.panelBlock, panels.upperBound)
        for t in rowTiles {
          block(tile: t, panels: panelRange, depth: p0..<(p0 + kb), beta: blockBeta, a: a, b: b, c: c, thread: thread)
        }
        firstPanel = panelRange.upperBound
      }
      p0 += kb
    } while p0 < k
  }

  /// One row tile against a run of column panels, over k range `depth`.
  @inline(__always)
  private func block(
    tile t: Int, panels: Range<Int>, depth: Range<Int>, beta: Float, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
    c: UnsafeMutablePointer<Float>, thread: Int
  ) {
    let mr = kernels.tileRows, nr = kernels.tileColumns
    let i0 = t * mr, rows = min(mr, m - i0)
    let p0 = depth.lowerBound, kb = depth.count
    // A's tile in place — its rows (NN) or its MR contiguous values per k
    // (transposed) — except a partial bottom tile, packed (kb, MR) with zeros.
    let aTile: UnsafePointer<Float>, aStride: Int
    let inPlaceRows = transA == .none && rows == mr
    if transA == .transposed && rows == mr {
      aTile = a + p0 * lda + i0
      aStride = lda
    } else if inPlaceRows {
      aTile = a + i0 * lda + p0
      aStride = lda
    } else {
      packTile(rowStart: i0, rows: rows, depth: depth, into: packA[thread])
      aTile = UnsafePointer(packA[thread])
      aStride = mr
    }
    let bBlock = b + p0 * bStride
    for panel in panels {
      let j0 = panel * nr, cols = min(nr, n - j0)
      let cTile = c + i0 * ldc + j0
      if rows == mr && cols == nr {
        if inPlaceRows {
          kernels.microKernelRows(k: kb, a: aTile, lda: lda, b: bBlock + j0, ldb: bStride, c: cTile, ldc: ldc, alpha: alpha, beta: beta)
        } else {
          kernels.microKernelStrided(k: kb, a: aTile, aStride: aStride, b: bBlock + j0, ldb: bStride, c: cTile, ldc: ldc, alpha: alpha, beta: beta)
        }
        continue
      }
      // A partial tile: compute it whole into scratch, keep the part inside C.
      let scratch = tiles[thread]
      let panelB = cols == nr ? bBlock + j0 : edge + p0 * nr, panelStride = cols == nr ? bStride : nr
      if cols <= kernels.lanes {
        // No wider than a vector: the tile's left half is all there is to compute.
        kernels.microKernelHalf(
          k: kb, a: aTile, aStride: inPlaceRows ? 1 : aStride, lda: inPlaceRows ? lda : 1, b: panelB, ldb: panelStride,
          c: scratch, ldc: nr, alpha: alpha, beta: 0)
      } else if inPlaceRows {
        kernels.microKernelRows(k: kb, a: aTile, lda: lda, b: panelB, ldb: panelStride, c: scratch, ldc: nr, alpha: alpha, beta: 0)
      } else {
        kernels.microKernelStrided(k: kb, a: aTile, aStride: aStride, b: panelB, ldb: panelStride, c: scratch, ldc: nr, alpha: alpha, beta: 0)
      }
      for r in 0..<rows {
        let row = cTile + r * ldc, tile = scratch + r * nr
        if beta == 0 {
          row.update(from: tile, count: cols)
        } else {
          for j in 0..<cols { row[j] = tile[j] + beta * row[j] }
        }
      }
    }
  }

  /// Packs rows i0 ..< i0+rows of op(A), k range `depth`, as (kb, MR), zero rows below.
  @inline(__always)
  private func packTile(rowStart i0: Int, rows: Int, depth: Range<Int>, into pack: UnsafeMutablePointer<Float>) {
    let mr = kernels.tileRows, a = pointers.a, kb = depth.count, p0 = depth.lowerBound
    if transA == .none {
      kernels.transpose(a + i0 * lda + p0, ld: lda, rows: rows, cols: kb, into: pack, ldd: mr)
    } else {
      for p in 0..<kb { (pack + p * mr).update(from: a + (p0 + p) * lda + i0, count: rows) }
    }
    if rows < mr {
      for p in 0..<kb { (pack + p * mr + rows).update(repeating: 0, count: mr - rows) }
    }
  }
}
