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
/// register-blocked micro-kernel (`GEMMKernel.swift`) driven by `GEMMContext`. With `beta == 0`, `C` is not
/// read (it may hold garbage, even NaN).
///
/// - Parameter context: packing buffers (and worker threads) reused across
///   calls; pass the one a `Workspace` owns in a training step so the step
///   allocates nothing. Without one, a temporary context is made.
public func gemm(
  _ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int, alpha: Float,
  a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
  beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, context: GEMMContext? = nil
) {
  precondition(m >= 0 && n >= 0 && k >= 0, "negative GEMM size (\(m), \(n), \(k))")
  precondition(ldc >= n, "ldc \(ldc) < n \(n)")
  precondition(lda >= (transA == .none ? k : m), "lda \(lda) too small")
  precondition(ldb >= (transB == .none ? n : k), "ldb \(ldb) too small")
  guard m > 0, n > 0 else { return }
  if k == 0 || alpha == 0 {
    scaleRows(c, rows: m, cols: n, ld: ldc, by: beta)
    return
  }
  if m * n * k <= GEMMContext.directLimit {
    gemmDirect(transA, transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
    return
  }
  let ctx = context ?? GEMMContext(maxK: k, maxN: n)
  ctx.run(transA, transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
}

/// `C *= beta` over an `(rows, cols)` block; `beta == 0` writes zeros (NaN-safe).
@inline(__always)
func scaleRows(_ c: UnsafeMutablePointer<Float>, rows: Int, cols: Int, ld: Int, by beta: Float) {
  if beta == 1 { return }
  for i in 0..<rows {
    let row = c + i * ld
    if beta == 0 {
      row.update(repeating: 0, count: cols)
    } else {
      for j in 0..<cols { row[j] *= beta }
    }
  }
}

/// Direct loops for products too small to repay packing. The inner loop always
/// runs along a contiguous row so the compiler vectorises it.
@inline(__always)
func gemmDirect(
  _ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int, alpha: Float,
  a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
  beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
) {
  scaleRows(c, rows: m, cols: n, ld: ldc, by: beta)
  switch transB {
  case .none:
    // C[i, :] += alpha · op(A)[i, p] · B[p, :]
    for i in 0..<m {
      let ci = c + i * ldc
      for p in 0..<k {
        let aip = alpha * (transA == .none ? a[i * lda + p] : a[p * lda + i])
        if aip == 0 { continue }
        let bp = b + p * ldb
        for j in 0..<n { ci[j] += aip * bp[j] }
      }
    }
  case .transposed:
    // C[i, j] += alpha · op(A)[i, :] · B[j, :]
    for i in 0..<m {
      let ci = c + i * ldc
      for j in 0..<n {
        let bj = b + j * ldb
        var sum: Float = 0
        if transA == .none {
          let ai = a + i * lda
          for p in 0..<k { sum += ai[p] * bj[p] }
        } else {
          for p in 0..<k { sum += a[p * lda + i] * bj[p] }
        }
        ci[j] += alpha * sum
      }
    }
  }
}
