/// The packed, register-blocked GEMM (the BLIS loop nest).
///
/// `op(B)` is copied in `kc × nc` blocks into panels `NR` columns wide and
/// `op(A)` in `mc × kc` blocks into panels `MR` rows tall (both zero-padded, so
/// the micro-kernel never branches on edges). The micro-kernel keeps an
/// `MR × NR` tile of C in registers (`MR` rows × two SIMD vectors) and does one
/// rank-1 update per k. Transposes cost nothing: they only change how panels
/// are gathered.
public final class GEMMContext {
  /// Rows of C per micro-tile.
  static let mr = 6
  /// Columns of C per micro-tile: two vectors.
  static let nr = 2 * GEMMVector.scalarCount
  static let kc = 256
  static let mc = 120
  static let nc = 3072
  /// Products with `m·n·k` at most this use `gemmDirect`.
  static let directLimit = 4 * 1024

  private let packA: UnsafeMutablePointer<Float>  // (mc/MR panels) × (kc, MR)
  private let packB: UnsafeMutablePointer<Float>  // (nc/NR panels) × (kc, NR)

  public init() {
    packA = .allocate(capacity: Self.mc * Self.kc)
    packB = .allocate(capacity: Self.kc * Self.nc)
  }

  deinit {
    packA.deallocate()
    packB.deallocate()
  }

  func packed(
    _ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int, alpha: Float,
    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
    beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    scaleRows(c, rows: m, cols: n, ld: ldc, by: beta)
    let mr = Self.mr, nr = Self.nr
    var jc = 0
    while jc < n {
      let ncb = min(Self.nc, n - jc)
      var pc = 0
      while pc < k {
        let kcb = min(Self.kc, k - pc)
        packPanelsB(transB, b: b, ldb: ldb, rows: pc, count: kcb, cols: jc, width: ncb)
        var ic = 0
        while ic < m {
          let mcb = min(Self.mc, m - ic)
          packPanelsA(transA, a: a, lda: lda, alpha: alpha, rows: ic, height: mcb, cols: pc, count: kcb)
          var jr = 0
          while jr < ncb {
            let nrb = min(nr, ncb - jr)
            let bPanel = packB + (jr / nr) * (kcb * nr)
            var ir = 0
            while ir < mcb {
              let mrb = min(mr, mcb - ir)
              let aPanel = packA + (ir / mr) * (kcb * mr)
              let cTile = c + (ic + ir) * ldc + (jc + jr)
              if mrb == mr && nrb == nr {
                microKernel(kc: kcb, a: aPanel, b: bPanel, c: cTile, ldc: ldc)
              } else {
                edgeKernel(kc: kcb, a: aPanel, b: bPanel, c: cTile, ldc: ldc, rows: mrb, cols: nrb)
              }
              ir += mr
            }
            jr += nr
          }
          ic += mcb
        }
        pc += kcb
      }
      jc += ncb
    }
  }

  /// Packs `op(B)[rows ..< rows+count, cols ..< cols+width]` into NR-wide panels.
  private func packPanelsB(_ trans: Transpose, b: UnsafePointer<Float>, ldb: Int, rows p0: Int, count kcb: Int, cols j0: Int, width: Int) {
    let nr = Self.nr
    var panel = packB
    var j = 0
    while j < width {
      let w = min(nr, width - j)
      for p in 0..<kcb {
        let dst = panel + p * nr
        if trans == .none {
          let src = b + (p0 + p) * ldb + (j0 + j)
          if w == nr {
            dst.update(from: src, count: nr)
          } else {
            dst.update(from: src, count: w)
            (dst + w).update(repeating: 0, count: nr - w)
          }
        } else {
          let src = b + (j0 + j) * ldb + (p0 + p)
          for jj in 0..<w { dst[jj] = src[jj * ldb] }
          if w < nr { (dst + w).update(repeating: 0, count: nr - w) }
        }
      }
      panel += kcb * nr
      j += nr
    }
  }

  /// Packs `alpha · op(A)[rows ..< rows+height, cols ..< cols+count]` into MR-tall panels.
  private func packPanelsA(_ trans: Transpose, a: UnsafePointer<Float>, lda: Int, alpha: Float, rows i0: Int, height: Int, cols p0: Int, count kcb: Int) {
    let mr = Self.mr
    var panel = packA
    var i = 0
    while i < height {
      let h = min(mr, height - i)
      for p in 0..<kcb {
        let dst = panel + p * mr
        if trans == .none {
          let src = a + (i0 + i) * lda + (p0 + p)
          for ii in 0..<h { dst[ii] = alpha * src[ii * lda] }
        } else {
          let src = a + (p0 + p) * lda + (i0 + i)
          for ii in 0..<h { dst[ii] = alpha * src[ii] }
        }
        if h < mr { (dst + h).update(repeating: 0, count: mr - h) }
      }
      panel += kcb * mr
      i += mr
    }
  }
}

/// The SIMD vector the kernels are written in.
public typealias GEMMVector = SIMD8<Float>

@inline(__always)
func loadVector(_ p: UnsafePointer<Float>) -> GEMMVector {
  UnsafeRawPointer(p).loadUnaligned(as: GEMMVector.self)
}

@inline(__always)
func storeVector(_ v: GEMMVector, _ p: UnsafeMutablePointer<Float>) {
  UnsafeMutableRawPointer(p).storeBytes(of: v, as: GEMMVector.self)
}

/// C[6 × 2V] += Apanel (kc, 6) · Bpanel (kc, 2V); the tile lives in 12 registers.
@inline(__always)
func microKernel(kc: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, ldc: Int) {
  let w = GEMMVector.scalarCount
  var c00 = GEMMVector(), c01 = GEMMVector(), c10 = GEMMVector(), c11 = GEMMVector()
  var c20 = GEMMVector(), c21 = GEMMVector(), c30 = GEMMVector(), c31 = GEMMVector()
  var c40 = GEMMVector(), c41 = GEMMVector(), c50 = GEMMVector(), c51 = GEMMVector()
  var ap = a, bp = b
  for _ in 0..<kc {
    let b0 = loadVector(bp), b1 = loadVector(bp + w)
    var s = GEMMVector(repeating: ap[0])
    c00.addProduct(s, b0); c01.addProduct(s, b1)
    s = GEMMVector(repeating: ap[1])
    c10.addProduct(s, b0); c11.addProduct(s, b1)
    s = GEMMVector(repeating: ap[2])
    c20.addProduct(s, b0); c21.addProduct(s, b1)
    s = GEMMVector(repeating: ap[3])
    c30.addProduct(s, b0); c31.addProduct(s, b1)
    s = GEMMVector(repeating: ap[4])
    c40.addProduct(s, b0); c41.addProduct(s, b1)
    s = GEMMVector(repeating: ap[5])
    c50.addProduct(s, b0); c51.addProduct(s, b1)
    ap += 6
    bp += 2 * w
  }
  @inline(__always) func add(_ v0: GEMMVector, _ v1: GEMMVector, row: Int) {
    let r = c + row * ldc
    storeVector(loadVector(r) + v0, r)
    storeVector(loadVector(r + w) + v1, r + w)
  }
  add(c00, c01, row: 0); add(c10, c11, row: 1); add(c20, c21, row: 2)
  add(c30, c31, row: 3); add(c40, c41, row: 4); add(c50, c51, row: 5)
}

/// A partial tile at the right or bottom edge: compute the full tile on the
/// stack, add only the part inside C.
@inline(never)
func edgeKernel(kc: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, ldc: Int, rows: Int, cols: Int) {
  let mr = GEMMContext.mr, nr = GEMMContext.nr
  withUnsafeTemporaryAllocation(of: Float.self, capacity: mr * nr) { tile in
    let t = tile.baseAddress!
    t.update(repeating: 0, count: mr * nr)
    microKernel(kc: kc, a: a, b: b, c: t, ldc: nr)
    for i in 0..<rows {
      for j in 0..<cols { c[i * ldc + j] += t[i * nr + j] }
    }
  }
}
