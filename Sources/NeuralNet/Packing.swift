/// Transposing copies for the GEMM driver: packing an MR-row tile of A into
/// (k, MR) order and turning a stored-transposed B into row-major. With
/// AVX-512 they move 8 × 16 blocks through registers (LLVM turns the lane
/// selections below into shuffles); elsewhere element by element.

/// Copies `rows` rows of `src` (row stride `ld`), all `cols` columns, into
/// `dst` transposed: `dst[c · ldd + r] = src[r · ld + c]`.
public func transposeCopy(_ src: UnsafePointer<Float>, ld: Int, rows: Int, cols: Int, into dst: UnsafeMutablePointer<Float>, ldd: Int) {
  var r0 = 0
  #if NNTOP_AVX512
    while r0 + 8 <= rows {
      var c0 = 0
      while c0 + 16 <= cols {
        transpose8x16(src + r0 * ld + c0, ld, dst + c0 * ldd + r0, ldd, contiguous: ldd == 8)
        c0 += 16
      }
      for c in c0..<cols {
        for r in r0..<(r0 + 8) { dst[c * ldd + r] = src[r * ld + c] }
      }
      r0 += 8
    }
  #endif
  // Remaining rows (all of them without AVX-512), in 16 × 16 blocks for the cache.
  var c0 = 0
  while c0 < cols {
    let c1 = min(c0 + 16, cols)
    for r in r0..<rows {
      let s = src + r * ld
      for c in c0..<c1 { dst[c * ldd + r] = s[c] }
    }
    c0 = c1
  }
}

#if NNTOP_AVX512
  /// An 8 × 16 block of `src` (row stride `ld`) written transposed: column c
  /// of the block becomes 8 contiguous floats at `dst + c · ldd`. With
  /// `contiguous` (ldd = 8, a packed tile) two columns go out in one store.
  @inline(__always)
  func transpose8x16(_ src: UnsafePointer<Float>, _ ld: Int, _ dst: UnsafeMutablePointer<Float>, _ ldd: Int, contiguous: Bool) {
    let v0 = loadVector(src), v1 = loadVector(src + ld), v2 = loadVector(src + 2 * ld), v3 = loadVector(src + 3 * ld)
    let v4 = loadVector(src + 4 * ld), v5 = loadVector(src + 5 * ld), v6 = loadVector(src + 6 * ld), v7 = loadVector(src + 7 * ld)
    // Within each 128-bit lane: interleave 32-bit elements of row pairs, then 64-bit pairs,
    // leaving 4 rows of one column per lane; then gather lanes into columns.
    @inline(__always) func lo(_ x: Vec, _ y: Vec) -> Vec {
      Vec(x[0], y[0], x[1], y[1], x[4], y[4], x[5], y[5], x[8], y[8], x[9], y[9], x[12], y[12], x[13], y[13])
    }
    @inline(__always) func hi(_ x: Vec, _ y: Vec) -> Vec {
      Vec(x[2], y[2], x[3], y[3], x[6], y[6], x[7], y[7], x[10], y[10], x[11], y[11], x[14], y[14], x[15], y[15])
    }
    @inline(__always) func lo2(_ x: Vec, _ y: Vec) -> Vec {
      Vec(x[0], x[1], y[0], y[1], x[4], x[5], y[4], y[5], x[8], x[9], y[8], y[9], x[12], x[13], y[12], y[13])
    }
    @inline(__always) func hi2(_ x: Vec, _ y: Vec) -> Vec {
      Vec(x[2], x[3], y[2], y[3], x[6], x[7], y[6], y[7], x[10], x[11], y[10], y[11], x[14], x[15], y[14], y[15])
    }
    let t0 = lo(v0, v1), t1 = hi(v0, v1), t2 = lo(v2, v3), t3 = hi(v2, v3)
    let t4 = lo(v4, v5), t5 = hi(v4, v5), t6 = lo(v6, v7), t7 = hi(v6, v7)
    // u0…u3: in lane L, rows 0–3 of columns 4L, 4L+1, 4L+2, 4L+3; u4…u7 the same for rows 4–7.
    let u0 = lo2(t0, t2), u1 = hi2(t0, t2), u2 = lo2(t1, t3), u3 = hi2(t1, t3)
    let u4 = lo2(t4, t6), u5 = hi2(t4, t6), u6 = lo2(t5, t7), u7 = hi2(t5, t7)
    // Lane indices must be literals: a computed index makes LLVM spill the vector.
    if contiguous {
      // Output vector q holds columns 2q and 2q+1.
      storeVector(Vec(u0[0], u0[1], u0[2], u0[3], u4[0], u4[1], u4[2], u4[3], u1[0], u1[1], u1[2], u1[3], u5[0], u5[1], u5[2], u5[3]), dst + 0)
      storeVector(Vec(u2[0], u2[1], u2[2], u2[3], u6[0], u6[1], u6[2], u6[3], u3[0], u3[1], u3[2], u3[3], u7[0], u7[1], u7[2], u7[3]), dst + 16)
      storeVector(Vec(u0[4], u0[5], u0[6], u0[7], u4[4], u4[5], u4[6], u4[7], u1[4], u1[5], u1[6], u1[7], u5[4], u5[5], u5[6], u5[7]), dst + 32)
      storeVector(Vec(u2[4], u2[5], u2[6], u2[7], u6[4], u6[5], u6[6], u6[7], u3[4], u3[5], u3[6], u3[7], u7[4], u7[5], u7[6], u7[7]), dst + 48)
      storeVector(Vec(u0[8], u0[9], u0[10], u0[11], u4[8], u4[9], u4[10], u4[11], u1[8], u1[9], u1[10], u1[11], u5[8], u5[9], u5[10], u5[11]), dst + 64)
      storeVector(Vec(u2[8], u2[9], u2[10], u2[11], u6[8], u6[9], u6[10], u6[11], u3[8], u3[9], u3[10], u3[11], u7[8], u7[9], u7[10], u7[11]), dst + 80)
      storeVector(Vec(u0[12], u0[13], u0[14], u0[15], u4[12], u4[13], u4[14], u4[15], u1[12], u1[13], u1[14], u1[15], u5[12], u5[13], u5[14], u5[15]), dst + 96)
      storeVector(Vec(u2[12], u2[13], u2[14], u2[15], u6[12], u6[13], u6[14], u6[15], u3[12], u3[13], u3[14], u3[15], u7[12], u7[13], u7[14], u7[15]), dst + 112)
      return
    }
    @inline(__always) func store(_ v: SIMD8<Float>, _ column: Int) {
      UnsafeMutableRawPointer(dst + column * ldd).storeBytes(of: v, as: SIMD8<Float>.self)
    }
    store(SIMD8<Float>(u0[0], u0[1], u0[2], u0[3], u4[0], u4[1], u4[2], u4[3]), 0)
    store(SIMD8<Float>(u1[0], u1[1], u1[2], u1[3], u5[0], u5[1], u5[2], u5[3]), 1)
    store(SIMD8<Float>(u2[0], u2[1], u2[2], u2[3], u6[0], u6[1], u6[2], u6[3]), 2)
    store(SIMD8<Float>(u3[0], u3[1], u3[2], u3[3], u7[0], u7[1], u7[2], u7[3]), 3)
    store(SIMD8<Float>(u0[4], u0[5], u0[6], u0[7], u4[4], u4[5], u4[6], u4[7]), 4)
    store(SIMD8<Float>(u1[4], u1[5], u1[6], u1[7], u5[4], u5[5], u5[6], u5[7]), 5)
    store(SIMD8<Float>(u2[4], u2[5], u2[6], u2[7], u6[4], u6[5], u6[6], u6[7]), 6)
    store(SIMD8<Float>(u3[4], u3[5], u3[6], u3[7], u7[4], u7[5], u7[6], u7[7]), 7)
    store(SIMD8<Float>(u0[8], u0[9], u0[10], u0[11], u4[8], u4[9], u4[10], u4[11]), 8)
    store(SIMD8<Float>(u1[8], u1[9], u1[10], u1[11], u5[8], u5[9], u5[10], u5[11]), 9)
    store(SIMD8<Float>(u2[8], u2[9], u2[10], u2[11], u6[8], u6[9], u6[10], u6[11]), 10)
    store(SIMD8<Float>(u3[8], u3[9], u3[10], u3[11], u7[8], u7[9], u7[10], u7[11]), 11)
    store(SIMD8<Float>(u0[12], u0[13], u0[14], u0[15], u4[12], u4[13], u4[14], u4[15]), 12)
    store(SIMD8<Float>(u1[12], u1[13], u1[14], u1[15], u5[12], u5[13], u5[14], u5[15]), 13)
    store(SIMD8<Float>(u2[12], u2[13], u2[14], u2[15], u6[12], u6[13], u6[14], u6[15]), 14)
    store(SIMD8<Float>(u3[12], u3[13], u3[14], u3[15], u7[12], u7[13], u7[14], u7[15]), 15)
  }
#endif
