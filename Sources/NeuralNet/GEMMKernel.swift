/// The micro-kernel: C[MR × NR] = alpha · A[MR × k] · B[k × NR] + beta · C,
/// the C tile held in registers (MR rows × two vectors) for the whole k loop,
/// one rank-1 update per k: two vector loads of B, MR broadcasts of A.
///
/// `microKernel`'s `a` walks k with stride `aStride`, its MR values per k
/// contiguous: a transposed A read in place (stride lda) or a packed edge
/// tile (stride MR). `microKernelRows` reads A's MR rows in place (row stride
/// `lda`), broadcasting from eight streams — measured as fast as a packed
/// tile here, so A is never packed except at the bottom edge. `b` is
/// row-major with row stride `ldb`.
#if NNTOP_AVX512
  @inline(__always)
  func microKernel(
    k: Int, a: UnsafePointer<Float>, aStride: Int, b: UnsafePointer<Float>, ldb: Int,
    c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float, beta: Float
  ) {
    let w = Vec.scalarCount
    var c00 = Vec(), c01 = Vec(), c10 = Vec(), c11 = Vec(), c20 = Vec(), c21 = Vec(), c30 = Vec(), c31 = Vec()
    var c40 = Vec(), c41 = Vec(), c50 = Vec(), c51 = Vec(), c60 = Vec(), c61 = Vec(), c70 = Vec(), c71 = Vec()
    var ap = a, bp = b
    for _ in 0..<k {
      let b0 = loadVector(bp), b1 = loadVector(bp + w)
      var s = Vec(repeating: ap[0])
      c00.addProduct(s, b0); c01.addProduct(s, b1)
      s = Vec(repeating: ap[1])
      c10.addProduct(s, b0); c11.addProduct(s, b1)
      s = Vec(repeating: ap[2])
      c20.addProduct(s, b0); c21.addProduct(s, b1)
      s = Vec(repeating: ap[3])
      c30.addProduct(s, b0); c31.addProduct(s, b1)
      s = Vec(repeating: ap[4])
      c40.addProduct(s, b0); c41.addProduct(s, b1)
      s = Vec(repeating: ap[5])
      c50.addProduct(s, b0); c51.addProduct(s, b1)
      s = Vec(repeating: ap[6])
      c60.addProduct(s, b0); c61.addProduct(s, b1)
      s = Vec(repeating: ap[7])
      c70.addProduct(s, b0); c71.addProduct(s, b1)
      ap += aStride
      bp += ldb
    }
    storeRow(c00, c01, c, alpha: alpha, beta: beta)
    storeRow(c10, c11, c + ldc, alpha: alpha, beta: beta)
    storeRow(c20, c21, c + 2 * ldc, alpha: alpha, beta: beta)
    storeRow(c30, c31, c + 3 * ldc, alpha: alpha, beta: beta)
    storeRow(c40, c41, c + 4 * ldc, alpha: alpha, beta: beta)
    storeRow(c50, c51, c + 5 * ldc, alpha: alpha, beta: beta)
    storeRow(c60, c61, c + 6 * ldc, alpha: alpha, beta: beta)
    storeRow(c70, c71, c + 7 * ldc, alpha: alpha, beta: beta)
  }

  @inline(__always)
  func microKernelRows(
    k: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
    c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float, beta: Float
  ) {
    let w = Vec.scalarCount
    var c00 = Vec(), c01 = Vec(), c10 = Vec(), c11 = Vec(), c20 = Vec(), c21 = Vec(), c30 = Vec(), c31 = Vec()
    var c40 = Vec(), c41 = Vec(), c50 = Vec(), c51 = Vec(), c60 = Vec(), c61 = Vec(), c70 = Vec(), c71 = Vec()
    let a0 = a, a1 = a + 1 * lda, a2 = a + 2 * lda, a3 = a + 3 * lda, a4 = a + 4 * lda, a5 = a + 5 * lda, a6 = a + 6 * lda, a7 = a + 7 * lda
    var bp = b
    for p in 0..<k {
      let b0 = loadVector(bp), b1 = loadVector(bp + w)
      var s = Vec(repeating: a0[p])
      c00.addProduct(s, b0); c01.addProduct(s, b1)
      s = Vec(repeating: a1[p])
      c10.addProduct(s, b0); c11.addProduct(s, b1)
      s = Vec(repeating: a2[p])
      c20.addProduct(s, b0); c21.addProduct(s, b1)
      s = Vec(repeating: a3[p])
      c30.addProduct(s, b0); c31.addProduct(s, b1)
      s = Vec(repeating: a4[p])
      c40.addProduct(s, b0); c41.addProduct(s, b1)
      s = Vec(repeating: a5[p])
      c50.addProduct(s, b0); c51.addProduct(s, b1)
      s = Vec(repeating: a6[p])
      c60.addProduct(s, b0); c61.addProduct(s, b1)
      s = Vec(repeating: a7[p])
      c70.addProduct(s, b0); c71.addProduct(s, b1)
      bp += ldb
    }
    storeRow(c00, c01, c, alpha: alpha, beta: beta)
    storeRow(c10, c11, c + ldc, alpha: alpha, beta: beta)
    storeRow(c20, c21, c + 2 * ldc, alpha: alpha, beta: beta)
    storeRow(c30, c31, c + 3 * ldc, alpha: alpha, beta: beta)
    storeRow(c40, c41, c + 4 * ldc, alpha: alpha, beta: beta)
    storeRow(c50, c51, c + 5 * ldc, alpha: alpha, beta: beta)
    storeRow(c60, c61, c + 6 * ldc, alpha: alpha, beta: beta)
    storeRow(c70, c71, c + 7 * ldc, alpha: alpha, beta: beta)
  }
#else
  @inline(__always)
  func microKernel(
    k: Int, a: UnsafePointer<Float>, aStride: Int, b: UnsafePointer<Float>, ldb: Int,
    c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float, beta: Float
  ) {
    let w = Vec.scalarCount
    var c00 = Vec(), c01 = Vec(), c10 = Vec(), c11 = Vec(), c20 = Vec(), c21 = Vec()
    var c30 = Vec(), c31 = Vec(), c40 = Vec(), c41 = Vec(), c50 = Vec(), c51 = Vec()
    var ap = a, bp = b
    for _ in 0..<k {
      let b0 = loadVector(bp), b1 = loadVector(bp + w)
      var s = Vec(repeating: ap[0])
      c00.addProduct(s, b0); c01.addProduct(s, b1)
      s = Vec(repeating: ap[1])
      c10.addProduct(s, b0); c11.addProduct(s, b1)
      s = Vec(repeating: ap[2])
      c20.addProduct(s, b0); c21.addProduct(s, b1)
      s = Vec(repeating: ap[3])
      c30.addProduct(s, b0); c31.addProduct(s, b1)
      s = Vec(repeating: ap[4])
      c40.addProduct(s, b0); c41.addProduct(s, b1)
      s = Vec(repeating: ap[5])
      c50.addProduct(s, b0); c51.addProduct(s, b1)
      ap += aStride
      bp += ldb
    }
    storeRow(c00, c01, c, alpha: alpha, beta: beta)
    storeRow(c10, c11, c + ldc, alpha: alpha, beta: beta)
    storeRow(c20, c21, c + 2 * ldc, alpha: alpha, beta: beta)
    storeRow(c30, c31, c + 3 * ldc, alpha: alpha, beta: beta)
    storeRow(c40, c41, c + 4 * ldc, alpha: alpha, beta: beta)
    storeRow(c50, c51, c + 5 * ldc, alpha: alpha, beta: beta)
  }

  @inline(__always)
  func microKernelRows(
    k: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
    c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float, beta: Float
  ) {
    let w = Vec.scalarCount
    var c00 = Vec(), c01 = Vec(), c10 = Vec(), c11 = Vec(), c20 = Vec(), c21 = Vec()
    var c30 = Vec(), c31 = Vec(), c40 = Vec(), c41 = Vec(), c50 = Vec(), c51 = Vec()
    let a0 = a, a1 = a + 1 * lda, a2 = a + 2 * lda, a3 = a + 3 * lda, a4 = a + 4 * lda, a5 = a + 5 * lda
    var bp = b
    for p in 0..<k {
      let b0 = loadVector(bp), b1 = loadVector(bp + w)
      var s = Vec(repeating: a0[p])
      c00.addProduct(s, b0); c01.addProduct(s, b1)
      s = Vec(repeating: a1[p])
      c10.addProduct(s, b0); c11.addProduct(s, b1)
      s = Vec(repeating: a2[p])
      c20.addProduct(s, b0); c21.addProduct(s, b1)
      s = Vec(repeating: a3[p])
      c30.addProduct(s, b0); c31.addProduct(s, b1)
      s = Vec(repeating: a4[p])
      c40.addProduct(s, b0); c41.addProduct(s, b1)
      s = Vec(repeating: a5[p])
      c50.addProduct(s, b0); c51.addProduct(s, b1)
      bp += ldb
    }
    storeRow(c00, c01, c, alpha: alpha, beta: beta)
    storeRow(c10, c11, c + ldc, alpha: alpha, beta: beta)
    storeRow(c20, c21, c + 2 * ldc, alpha: alpha, beta: beta)
    storeRow(c30, c31, c + 3 * ldc, alpha: alpha, beta: beta)
    storeRow(c40, c41, c + 4 * ldc, alpha: alpha, beta: beta)
    storeRow(c50, c51, c + 5 * ldc, alpha: alpha, beta: beta)
  }
#endif

/// One row of a tile: `c = alpha · acc + beta · c` (C not read when beta is 0).
@inline(__always)
func storeRow(_ v0: Vec, _ v1: Vec, _ c: UnsafeMutablePointer<Float>, alpha: Float, beta: Float) {
  let w = Vec.scalarCount
  if beta == 0 {
    storeVector(alpha * v0, c)
    storeVector(alpha * v1, c + w)
  } else {
    storeVector(alpha * v0 + beta * loadVector(c), c)
    storeVector(alpha * v1 + beta * loadVector(c + w), c + w)
  }
}
