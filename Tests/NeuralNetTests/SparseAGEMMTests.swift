@testable import NeuralNet
import Testing
import TestSupport

/// The product that skips A's zeros (`gemm(…, skippingZerosOfA: true)`,
/// `gemm_sparse_a`) against the blocked product, to the bit, and against
/// the naive reference kernel.
struct SparseAGEMMTests {
  struct Case: Sendable, CustomTestStringConvertible {
    let m, n, k: Int
    let tb: Transpose
    var testDescription: String { "\(m)x\(n)x\(k) N\(tb == .none ? "N" : "T")" }
  }

  /// mnist's ∂J/∂W₁ and ∂J/∂W₂; rows not a multiple of the rows swept
  /// together (2 or 4) or of a tile; columns ending in a partial panel
  /// (stored through scratch by the blocked product), in a panel exactly one
  /// vector wide, or in a partial chunk of sparse columns (48 or 64); k of
  /// one, odd, and the deepest taken (256), and past it (two k blocks: the
  /// blocked product, still exact); a product small enough for the direct
  /// loops (which the flag leaves alone).
  static let shapes = [
    (256, 784, 128), (128, 256, 128), (37, 100, 29), (9, 45, 7), (64, 24, 33), (13, 16, 256), (70, 130, 64),
    (6, 40, 1), (11, 200, 300), (5, 8, 3), (33, 48, 40), (7, 65, 50),
  ]
  static let cases: [Case] = shapes.flatMap { s in [Transpose.none, .transposed].map { Case(m: s.0, n: s.1, k: s.2, tb: $0) } }

  /// A `(m, k)` with each value nonzero with probability `density` (row 0
  /// all zero and row 1 all nonzero, when there are three rows or more),
  /// row stride k + 3.
  static func sparseA(m: Int, k: Int, density: Double, _ rng: inout SeededGenerator) -> [Float] {
    let lda = k + 3
    var a = [Float](repeating: 0, count: m * lda)
    for i in 0..<m {
      for p in 0..<k where (m >= 3 && i == 1) || (!(m >= 3 && i == 0) && Double(rng.uniform(0, 1)) < density) {
        a[i * lda + p] = rng.uniform(-1, 1)
      }
    }
    return a
  }

  /// C from the product skipping A's zeros, from the blocked product, and
  /// (with `naive`) from the naive kernel.
  static func products(_ c: Case, density: Double, alpha: Float, beta: Float, kernels: KernelSet, naive withNaive: Bool) -> (skipping: [Float], blocked: [Float], naive: [Float]) {
    var rng = SeededGenerator(seed: UInt64(c.m * 7919 + c.n * 31 + c.k))
    let lda = c.k + 3, ldb = (c.tb == .none ? c.n : c.k) + 1, ldc = c.n + 2
    let a = sparseA(m: c.m, k: c.k, density: density, &rng)
    let b = (0..<((c.tb == .none ? c.k : c.n) * ldb)).map { _ in rng.uniform(-1, 1) }
    let c0 = (0..<(c.m * ldc)).map { _ in rng.uniform(-1, 1) }
    var skipping = c0, blocked = c0, naive = c0
    let context = GEMMContext(kernels: kernels)
    a.withUnsafeBufferPointer { ap in
      b.withUnsafeBufferPointer { bp in
        skipping.withUnsafeMutableBufferPointer { cp in
          gemm(
            .none, c.tb, m: c.m, n: c.n, k: c.k, alpha: alpha, a: ap.baseAddress!, lda: lda, b: bp.baseAddress!, ldb: ldb,
            beta: beta, c: cp.baseAddress!, ldc: ldc, context: context, skippingZerosOfA: true)
        }
        blocked.withUnsafeMutableBufferPointer { cp in
          gemm(
            .none, c.tb, m: c.m, n: c.n, k: c.k, alpha: alpha, a: ap.baseAddress!, lda: lda, b: bp.baseAddress!, ldb: ldb,
            beta: beta, c: cp.baseAddress!, ldc: ldc, context: context)
        }
        if withNaive {
          naive.withUnsafeMutableBufferPointer { cp in
            gemmNaive(
              .none, c.tb, m: c.m, n: c.n, k: c.k, alpha: alpha, a: ap.baseAddress!, lda: lda, b: bp.baseAddress!, ldb: ldb,
              beta: beta, c: cp.baseAddress!, ldc: ldc)
          }
        }
      }
    }
    return (skipping, blocked, naive)
  }

  @Test(arguments: KernelSet.supported, SparseAGEMMTests.cases)
  func skippingZerosGivesTheBlockedProductToTheBit(kernels: KernelSet, _ c: Case) {
    // Half of A zero (the lists), and 0.9 nonzero (too dense: the blocked
    // product after all); C overwritten, accumulated into, and scaled.
    for density in [0.5, 0.9] {
      for (alpha, beta) in [(Float(1), Float(0)), (-0.01, 1), (0.5, 0.25)] {
        // The naive kernel (slow in a debug build) once a case, on the lists.
        let withNaive = density == 0.5 && beta == 1
        let (skipping, blocked, naive) = Self.products(c, density: density, alpha: alpha, beta: beta, kernels: kernels, naive: withNaive)
        let what = "\(kernels.name) \(c.testDescription) density \(density) alpha \(alpha) beta \(beta)"
        let differing = zip(skipping, blocked).filter { $0.bitPattern != $1.bitPattern }.count
        #expect(differing == 0, "\(what)")
        let tolerance = 1e-5 * Double(c.k).squareRoot() * Double(max(abs(alpha), 1)) + 1e-6
        if withNaive { #expect(maxAbsoluteDifference(skipping, naive) <= tolerance, "\(what)") }
      }
    }
  }

  @Test(arguments: KernelSet.supported)
  func zerosFacingAnInfinityAreLeftOutOnlyWhenTheyAreSkipped(kernels: KernelSet) {
    // 0 × ∞ is NaN in the blocked product. A half-zero A takes the lists, so
    // the rows whose A is zero where B is infinite stay finite; a dense A
    // (at most 1/8 zero) takes the blocked product, and the NaN shows.
    let m = 16, n = 64, k = 32
    var b = [Float](repeating: 1, count: k * n)
    b[5 * n + 3] = .infinity  // op(B)[5, 3]
    for (zeroEvery, listed) in [(2, true), (8, false)] {
      // Row i of A is zero at column 5 when i is even; otherwise nonzero.
      let a: [Float] = (0..<(m * k)).map { e in
        let (i, p) = e.quotientAndRemainder(dividingBy: k)
        return p == 5 ? (i % 2 == 0 ? 0 : 1) : (p % zeroEvery == 0 ? 0 : 1)
      }
      var c = [Float](repeating: 0, count: m * n)
      a.withUnsafeBufferPointer { ap in
        b.withUnsafeBufferPointer { bp in
          c.withUnsafeMutableBufferPointer { cp in
            gemm(
              .none, .none, m: m, n: n, k: k, alpha: 1, a: ap.baseAddress!, lda: k, b: bp.baseAddress!, ldb: n, beta: 0,
              c: cp.baseAddress!, ldc: n, context: GEMMContext(kernels: kernels), skippingZerosOfA: true)
          }
        }
      }
      let even = (0..<m).filter { $0 % 2 == 0 }.map { c[$0 * n + 3] }
      let odd = (0..<m).filter { $0 % 2 == 1 }.map { c[$0 * n + 3] }
      #expect(odd.allSatisfy { $0 == .infinity }, "\(kernels.name) zero every \(zeroEvery)")
      #expect(even.allSatisfy(\.isNaN) == !listed && even.allSatisfy(\.isFinite) == listed, "\(kernels.name) zero every \(zeroEvery): \(even)")
    }
  }
}
