/// Whether a GEMM operand is read as stored or transposed (in place, no copy).
public enum Transpose: Sendable {
  case none
  case transposed
}

/// `C = alpha · op(A) · op(B) + beta · C`, row-major, fp32.
///
/// `op(A)` is `(m, k)`, `op(B)` is `(k, n)`, `C` is `(m, n)`; `lda`, `ldb`,
/// `ldc` are the row strides of the matrices as stored. Transposed operands are
/// read in place. Small products use direct loops; larger ones the
/// register-blocked micro-kernel driven by `GEMMContext`, both from the
/// context's `KernelSet` (the CPU's best without one). With `beta == 0`, `C`
/// is not read (it may hold garbage, even NaN).
///
/// - Parameters:
///   - context: packing buffers (and worker threads) reused across calls;
///     pass the one a `Workspace` owns in a training step so the step
///     allocates nothing. Without one, a temporary context is made.
///   - thread: for a caller that is itself one of the context runner's
///     participants: the product runs on it alone, with that participant's
///     packing buffers (nil: large products are split over the threads).
///   - skippingZerosOfA: A may be mostly exact zeros (ReLU's ∂J/∂Z in
///     ∂J/∂W = ∂J/∂Z·Aᵀ): a blocked product with A as stored and k ≤ 256
///     then lists A's nonzeros and multiplies only those when at most 5/8 of
///     A is nonzero (`gemm_sparse_a`). The same C to the bit, bar a NaN
///     from 0 × ∞ that it leaves out.
public func gemm(
  _ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int, alpha: Float,
  a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
  beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, context: GEMMContext? = nil, thread: Int? = nil,
  skippingZerosOfA: Bool = false
) {
  precondition(m >= 0 && n >= 0 && k >= 0, "negative GEMM size (\(m), \(n), \(k))")
  precondition(ldc >= n, "ldc \(ldc) < n \(n)")
  precondition(lda >= (transA == .none ? k : m), "lda \(lda) too small")
  precondition(ldb >= (transB == .none ? n : k), "ldb \(ldb) too small")
  guard m > 0, n > 0 else { return }
  let kernels = context?.kernels ?? .active
  if k == 0 || alpha == 0 {
    // C = beta · C, A and B not read.
    kernels.gemmDirect(transA, transB, m: m, n: n, k: 0, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
    return
  }
  if m * n * k <= GEMMContext.directLimit {
    kernels.gemmDirect(transA, transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
    return
  }
  let ctx = context ?? GEMMContext()
  let sparseA = skippingZerosOfA && transA == .none && k <= GEMMContext.sparseDepthLimit
  ctx.run(
    transA, transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc,
    thread: thread, sparseA: sparseA)
}
