import CKernels

/// The engine's vectorised kernels for one instruction set — AVX-512,
/// AVX2 + FMA, or the baseline every CPU of the architecture runs — compiled
/// from one C source per set (`Sources/CKernels`) and chosen at run time on
/// the CPU in hand, so one binary runs everywhere and fast where it can.
///
/// `@unchecked Sendable` is safe: `table` points at a `const` static table in
/// the C target, never written, alive for the whole process.
public struct KernelSet: @unchecked Sendable, Equatable, CustomStringConvertible {
  let table: UnsafePointer<nntop_kernel_set>

  /// "avx512", "avx2" or "baseline".
  public var name: String { String(cString: table.pointee.name) }
  /// fp32 lanes per vector.
  public var lanes: Int { Int(table.pointee.lanes) }
  /// Rows (MR) and columns (NR) of the GEMM micro-tile.
  public var tileRows: Int { Int(table.pointee.rows) }
  public var tileColumns: Int { Int(table.pointee.columns) }
  /// Columns of C a row of the sparse-A product holds in registers.
  var sparseColumns: Int { Int(table.pointee.sparse_columns) }
  /// For a person: "avx512 (AVX-512F + FMA, 16 lanes, 8 × 32 tile)".
  public var description: String {
    "\(name) (\(String(cString: table.pointee.description)), \(tileRows) × \(tileColumns) tile)"
  }

  public static func == (a: KernelSet, b: KernelSet) -> Bool { a.table == b.table }

  /// The sets this CPU runs, best first; the baseline last.
  public static let supported: [KernelSet] = (0..<nntop_kernel_set_count()).map { KernelSet(table: nntop_kernel_set_at($0)) }

  /// Every set this binary holds, whether this CPU runs it or not.
  static let built: [KernelSet] = (0..<nntop_kernel_set_built_count()).map { KernelSet(table: nntop_kernel_set_built_at($0)) }

  /// The set `name` names, if this CPU runs it.
  public static func named(_ name: String) -> KernelSet? { supported.first { $0.name == name } }

  /// Subnormal floats read and write as 0 on the calling thread from now on
  /// (see `nntop_flush_subnormals`); returns the mode before, for
  /// `restoreFloatMode`. The training threads call it first.
  @discardableResult
  public static func flushSubnormals() -> UInt32 { nntop_flush_subnormals() }

  /// One turn of a busy-wait loop (x86's `pause`): threads that spin on an
  /// atomic call it each time round.
  @inline(__always)
  public static func spinPause() { nntop_spin_pause() }

  /// Puts back the mode `flushSubnormals` returned.
  public static func restoreFloatMode(_ mode: UInt32) { nntop_restore_float_mode(mode) }

  /// The set the engine uses: NNTOP_KERNEL's when it names one this CPU runs
  /// (to compare or test the paths), else the best.
  public static let active: KernelSet = requested.flatMap(named) ?? supported[0]

  /// Why NNTOP_KERNEL cannot be used, or nil when it is unset or usable.
  public static var requestProblem: String? {
    guard let request = requested, named(request) == nil else { return nil }
    let here = supported.map(\.name).joined(separator: ", ")
    return built.contains { $0.name == request }
      ? "NNTOP_KERNEL=\(request): this CPU does not run it (it runs \(here))"
      : "NNTOP_KERNEL=\(request) is not a kernel set (this binary has \(built.map(\.name).joined(separator: ", ")); this CPU runs \(here))"
  }

  private static var requested: String? { nntop_kernel_request().map { String(cString: $0) } }

  // MARK: - The kernels

  /// Row tiles `tiles` × column panels `panels` of the product `g` (see
  /// `nntop_kernel_set.gemm_blocks`), with one thread's packing buffers.
  func gemmBlocks(
    _ g: UnsafePointer<nntop_gemm>, tiles: Range<Int>, panels: Range<Int>, packB: UnsafeMutablePointer<Float>,
    scratch: UnsafeMutablePointer<Float>
  ) {
    table.pointee.gemm_blocks!(g, tiles.lowerBound, tiles.upperBound, panels.lowerBound, panels.upperBound, packB, scratch)
  }

  /// `gemmBlocks` skipping A's zeros when A is sparse enough (see
  /// `nntop_kernel_set.gemm_sparse_a`); `lists` has room for the tiles'
  /// rows · (k + 1) ints.
  func gemmSparseA(
    _ g: UnsafePointer<nntop_gemm>, tiles: Range<Int>, panels: Range<Int>, packB: UnsafeMutablePointer<Float>,
    scratch: UnsafeMutablePointer<Float>, lists: UnsafeMutablePointer<Int32>
  ) {
    table.pointee.gemm_sparse_a!(
      g, tiles.lowerBound, tiles.upperBound, panels.lowerBound, panels.upperBound, packB, scratch, lists)
  }

  func gemmDirect(
    _ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int, alpha: Float,
    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
    beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    table.pointee.gemm_direct!(transA == .transposed ? 1 : 0, transB == .transposed ? 1 : 0, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
  }

  /// Copies `rows` rows of `src` (row stride `ld`), all `cols` columns, into
  /// `dst` transposed: `dst[c · ldd + r] = src[r · ld + c]`.
  public func transpose(_ src: UnsafePointer<Float>, ld: Int, rows: Int, cols: Int, into dst: UnsafeMutablePointer<Float>, ldd: Int) {
    table.pointee.transpose!(src, ld, rows, cols, dst, ldd)
  }

  /// `z (units, batch) ← σ(z + bias)`, z's rows `ld` floats apart.
  func activate(
    _ activation: Activation, _ z: UnsafeMutablePointer<Float>, ld: Int, bias: UnsafePointer<Float>?, units: Int, batch: Int
  ) {
    table.pointee.activate!(activation.kernelCode, z, ld, bias, units, batch)
  }

  func multiplyDerivative(_ activation: Activation, _ delta: UnsafeMutablePointer<Float>, activation a: UnsafePointer<Float>, count: Int) {
    table.pointee.multiply_derivative!(activation.kernelCode, delta, a, count)
  }

  func softmaxColumns(_ z: UnsafeMutablePointer<Float>, units: Int, batch: Int) {
    table.pointee.softmax_columns!(z, units, batch)
  }

  func loss(
    _ kind: nntop_loss, logits z: UnsafePointer<Float>, predictions a: UnsafePointer<Float>, targets y: UnsafePointer<Float>,
    units: Int, batch: Int
  ) -> Double {
    table.pointee.loss!(Int32(kind.rawValue), z, a, y, units, batch)
  }

  /// `out[r] = alpha · Σ row r` of `p` `(rows, cols)`, or with `accumulate` `out[r] += …`.
  func rowSums(
    _ p: UnsafePointer<Float>, rows: Int, cols: Int, alpha: Float = 1, into out: UnsafeMutablePointer<Float>,
    accumulate: Bool = false
  ) {
    table.pointee.row_sums!(p, rows, cols, alpha, out, accumulate ? 1 : 0)
  }

  /// The vector functions the activations and losses are built on, applied in place.
  public enum Function: Sendable { case exp, log, tanh, sigmoid }

  public func apply(_ function: Function, to x: UnsafeMutablePointer<Float>, count: Int) {
    let code: nntop_function = switch function {
    case .exp: NNTOP_EXP
    case .log: NNTOP_LOG
    case .tanh: NNTOP_FN_TANH
    case .sigmoid: NNTOP_FN_SIGMOID
    }
    table.pointee.map!(Int32(code.rawValue), x, count)
  }
}

extension Activation {
  /// The C kernels' code for an elementwise activation (softmax adds no
  /// elementwise function: it is `linear`, then `softmaxColumns`).
  var kernelCode: Int32 {
    let code: nntop_activation = switch self {
    case .sigmoid: NNTOP_SIGMOID
    case .tanh: NNTOP_TANH
    case .relu: NNTOP_RELU
    case .leakyReLU: NNTOP_LEAKY_RELU
    case .linear, .softmax: NNTOP_LINEAR
    }
    return Int32(code.rawValue)
  }
}
