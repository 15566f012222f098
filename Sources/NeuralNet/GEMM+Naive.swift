/// The reference GEMM: three loops, Double accumulation, no blocking.
///
/// `C = alpha · op(A) · op(B) + beta · C`, row-major, with op(X) = X or Xᵀ read
/// in place. `op(A)` is `(m, k)`, `op(B)` is `(k, n)`, `C` is `(m, n)`. Kept as
/// the independent reference the fast kernels are tested against.
public func gemmNaive(
  _ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int, alpha: Float,
  a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
  beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
) {
  for i in 0..<m {
    for j in 0..<n {
      var sum = 0.0
      for p in 0..<k {
        let aip = transA == .none ? a[i * lda + p] : a[p * lda + i]
        let bpj = transB == .none ? b[p * ldb + j] : b[j * ldb + p]
        sum += Double(aip) * Double(bpj)
      }
      let old = beta == 0 ? 0 : Double(beta) * Double(c[i * ldc + j])
      c[i * ldc + j] = Float(Double(alpha) * sum + old)
    }
  }
}
