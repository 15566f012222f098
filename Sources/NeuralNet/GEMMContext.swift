import CKernels

/// Scratch memory for the GEMM driver, reused across calls so a training step
/// allocates nothing: per thread, a packed B panel (KC × NR), a packed
/// bottom-edge A tile (KC × MR) and an edge tile (MR × NR).
///
/// The driver (GotoBLAS order): for each k block, for each block of row
/// tiles, for each NR-column panel of op(B), copy the panel's KC × NR slice
/// contiguous (transposing it if B is stored transposed, zero-padding the last
/// panel; a row-major panel that only one or two tiles sweep is read in
/// place), then sweep the block's row tiles over it with the micro-kernel. The
/// packed panel stays in L1 while A streams from L2; read in place, B's rows
/// (power-of-two bytes apart for widths like 128 or 256) fell into a few L1
/// sets and were fetched from L2 again for every row tile. A is read in place
/// (its rows, or for a transposed A its MR contiguous values per k), except a
/// partial bottom tile, packed once per block. Large products are split by row tiles (or by
/// column panels) over the `ParallelRunner`'s threads, each packing the panels
/// it needs.
public final class GEMMContext {
  /// Products with `m·n·k` at most this run through the direct loops.
  static let directLimit = Int(NNTOP_DIRECT_LIMIT)
  /// Products with `m·n·k` below this stay on one thread.
  static let parallelLimit = 1024 * 1024

  public let runner: ParallelRunner?
  /// The micro-kernels and copies every product of this context runs on.
  public let kernels: KernelSet
  private let task = GEMMTask()
  private let packB: [UnsafeMutablePointer<Float>]  // per thread: (KC, NR)
  private let packA: [UnsafeMutablePointer<Float>]  // per thread: (KC, MR)
  private let tiles: [UnsafeMutablePointer<Float>]  // per thread: (MR, NR)

  /// - Parameters:
  ///   - runner: threads for large products; nil runs everything on the caller.
  ///   - kernels: the instruction set's kernels (tests force each).
  public init(runner: ParallelRunner? = nil, kernels: KernelSet = .active) {
    self.runner = runner
    self.kernels = kernels
    let threads = runner?.threadCount ?? 1, mr = kernels.tileRows, nr = kernels.tileColumns
    packB = (0..<threads).map { _ in .allocate(capacity: GEMMJob.kBlock * nr) }
    packA = (0..<threads).map { _ in .allocate(capacity: GEMMJob.kBlock * mr) }
    tiles = (0..<threads).map { _ in .allocate(capacity: mr * nr) }
  }

  deinit {
    for p in packB + packA + tiles { p.deallocate() }
  }

  public var threadCount: Int { runner?.threadCount ?? 1 }

  func run(
    _ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int, alpha: Float,
    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
    beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    let job = GEMMJob(
      transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, lda: lda, ldb: ldb, beta: beta, ldc: ldc,
      pointers: SharedPointers(a: a, b: b, c: c), packB: packB, packA: packA, tiles: tiles, kernels: kernels)
    let rowTiles = (m + kernels.tileRows - 1) / kernels.tileRows
    let panels = (n + kernels.tileColumns - 1) / kernels.tileColumns
    let threads = threadCount
    let parallel = threads > 1 && m * n * k >= Self.parallelLimit && rowTiles * panels >= 2
    guard let runner, parallel else {
      job.compute(rowTiles: 0..<rowTiles, panels: 0..<panels, thread: 0)
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
/// write disjoint row tiles or column panels of C and their own `packB`,
/// `packA` and `tiles` buffers; everything else is only read during the
/// parallel region, which the caller does not leave before all workers are done.
struct GEMMJob: @unchecked Sendable {
  let transA, transB: Transpose
  let m, n, k: Int
  let alpha: Float
  let lda, ldb: Int
  let beta: Float
  let ldc: Int
  let pointers: SharedPointers
  let packB, packA, tiles: [UnsafeMutablePointer<Float>]
  let kernels: KernelSet

  /// A panel of op(B) where the micro-kernel reads it.
  struct PanelB {
    let b: UnsafePointer<Float>
    let ldb, cols: Int
  }

  /// The deepest k block (KC): a packed B panel (KC × NR) stays in L1. k is
  /// cut into equal blocks no deeper than this (784 into four of 196, not
  /// three of 256 and one of 16).
  static let kBlock = 256
  /// Rows of A per block (MC): its KC-deep slice (at most 256 KB) stays in L2
  /// while every panel of B sweeps it.
  static let rowBlock = 256
  /// Row tiles from which a row-major B's panel is packed rather than read in place.
  static let packingTiles = 3

  func compute(rowTiles: Range<Int>, panels: Range<Int>, thread: Int) {
    let blocks = (k + Self.kBlock - 1) / Self.kBlock, depth = (k + blocks - 1) / blocks
    let mr = kernels.tileRows, tilesPerBlock = max(1, Self.rowBlock / mr)
    var p0 = 0
    repeat {
      let kb = min(depth, k - p0)
      // Later k blocks add to what the first wrote.
      let blockBeta = p0 == 0 ? beta : 1
      var firstTile = rowTiles.lowerBound
      while firstTile < rowTiles.upperBound {
        let tileBlock = firstTile..<min(firstTile + tilesPerBlock, rowTiles.upperBound)
        // A partial bottom tile (only the last can be) is packed once for all panels.
        let last = tileBlock.upperBound - 1
        if m - last * mr < mr {
          packTile(rowStart: last * mr, rows: m - last * mr, depth: p0..<(p0 + kb), into: packA[thread])
        }
        for panel in panels {
          let panelB = self.panel(panel, depth: p0..<(p0 + kb), sweptBy: tileBlock.count, thread: thread)
          for t in tileBlock {
            block(tile: t, panel: panel, of: panelB, depth: p0..<(p0 + kb), beta: blockBeta, thread: thread)
          }
        }
        firstTile = tileBlock.upperBound
      }
      p0 += kb
    } while p0 < k
  }

  /// op(B)'s rows `depth`, columns of `panel`, as the micro-kernel reads
  /// them: packed contiguous (kb, NR) in the thread's buffer, zero columns
  /// past n; or, for a whole panel of a row-major B that few row tiles
  /// sweep, in place (a copy would cost more than it saves).
  @inline(__always)
  private func panel(_ panel: Int, depth: Range<Int>, sweptBy tiles: Int, thread: Int) -> PanelB {
    let nr = kernels.tileColumns, j0 = panel * nr, cols = min(nr, n - j0)
    let p0 = depth.lowerBound
    if transB == .none && cols == nr && tiles < Self.packingTiles {
      return PanelB(b: pointers.b + p0 * ldb + j0, ldb: ldb, cols: cols)
    }
    let source = transB == .transposed ? pointers.b + j0 * ldb + p0 : pointers.b + p0 * ldb + j0
    kernels.packPanel(transB, source, ldb: ldb, k: depth.count, cols: cols, into: packB[thread])
    return PanelB(b: UnsafePointer(packB[thread]), ldb: nr, cols: cols)
  }

  /// One row tile against the packed panel, over k range `depth`.
  @inline(__always)
  private func block(tile t: Int, panel: Int, of panelB: PanelB, depth: Range<Int>, beta: Float, thread: Int) {
    let mr = kernels.tileRows, nr = kernels.tileColumns
    let a = pointers.a, b = panelB.b, ldb = panelB.ldb, cols = panelB.cols
    let i0 = t * mr, rows = min(mr, m - i0)
    let p0 = depth.lowerBound, kb = depth.count
    // A's tile in place — its rows (NN) or its MR contiguous values per k
    // (transposed) — except a partial bottom tile, which `compute` packed (kb, MR) with zeros.
    let aTile: UnsafePointer<Float>, aStride: Int
    let inPlaceRows = transA == .none && rows == mr
    if transA == .transposed && rows == mr {
      aTile = a + p0 * lda + i0
      aStride = lda
    } else if inPlaceRows {
      aTile = a + i0 * lda + p0
      aStride = lda
    } else {
      aTile = UnsafePointer(packA[thread])
      aStride = mr
    }
    let cTile = pointers.c + i0 * ldc + panel * nr
    if rows == mr && cols == nr {
      if inPlaceRows {
        kernels.microKernelRows(k: kb, a: aTile, lda: lda, b: b, ldb: ldb, c: cTile, ldc: ldc, alpha: alpha, beta: beta)
      } else {
        kernels.microKernelStrided(k: kb, a: aTile, aStride: aStride, b: b, ldb: ldb, c: cTile, ldc: ldc, alpha: alpha, beta: beta)
      }
      return
    }
    // A partial tile: compute it whole into scratch, keep the part inside C.
    let scratch = tiles[thread]
    if cols <= kernels.lanes {
      // No wider than a vector: the tile's left half is all there is to compute.
      kernels.microKernelHalf(
        k: kb, a: aTile, aStride: inPlaceRows ? 1 : aStride, lda: inPlaceRows ? lda : 1, b: b, ldb: ldb,
        c: scratch, ldc: nr, alpha: alpha, beta: 0)
    } else if inPlaceRows {
      kernels.microKernelRows(k: kb, a: aTile, lda: lda, b: b, ldb: ldb, c: scratch, ldc: nr, alpha: alpha, beta: 0)
    } else {
      kernels.microKernelStrided(k: kb, a: aTile, aStride: aStride, b: b, ldb: ldb, c: scratch, ldc: nr, alpha: alpha, beta: 0)
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
