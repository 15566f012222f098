@testable import NeuralNet
import Testing
import TestSupport

/// The fast GEMM paths against the naive reference kernel.
struct GEMMTests {
  struct Case: Sendable, CustomTestStringConvertible {
    let m, n, k: Int
    let ta, tb: Transpose
    var testDescription: String { "\(m)x\(n)x\(k) \(ta == .none ? "N" : "T")\(tb == .none ? "N" : "T")" }
  }

  /// Shapes hitting every path: direct loops, whole tiles, partial bottom
  /// tiles (packed), partial right panels (padded), k not a multiple of
  /// anything, transposes with odd sizes.
  static let shapes = [
    (1, 1, 1), (2, 3, 4), (6, 16, 8), (7, 17, 9), (8, 32, 16), (13, 33, 300), (64, 32, 64), (128, 129, 257),
    (5, 300, 3), (257, 10, 64), (10, 64, 128), (24, 48, 17), (9, 784, 33),
  ]
  static let cases: [Case] = shapes.flatMap { s in
    [Transpose.none, .transposed].flatMap { ta in
      [Transpose.none, .transposed].map { tb in Case(m: s.0, n: s.1, k: s.2, ta: ta, tb: tb) }
    }
  }

  static func random(_ count: Int, _ rng: inout SeededGenerator) -> [Float] {
    (0..<count).map { _ in rng.uniform(-1, 1) }
  }

  /// Runs `gemm` and `gemmNaive` on the same operands, with padding in the
  /// leading dimensions, and returns both results.
  static func compare(_ c: Case, alpha: Float, beta: Float, context: GEMMContext?) -> (fast: [Float], naive: [Float]) {
    var rng = SeededGenerator(seed: UInt64(c.m * 10_000 + c.n * 100 + c.k))
    let lda = (c.ta == .none ? c.k : c.m) + 3
    let ldb = (c.tb == .none ? c.n : c.k) + 1
    let ldc = c.n + 2
    let a = random((c.ta == .none ? c.m : c.k) * lda, &rng)
    let b = random((c.tb == .none ? c.k : c.n) * ldb, &rng)
    let c0 = random(c.m * ldc, &rng)
    var fast = c0, naive = c0
    a.withUnsafeBufferPointer { ap in
      b.withUnsafeBufferPointer { bp in
        fast.withUnsafeMutableBufferPointer { cp in
          gemm(c.ta, c.tb, m: c.m, n: c.n, k: c.k, alpha: alpha, a: ap.baseAddress!, lda: lda, b: bp.baseAddress!, ldb: ldb, beta: beta, c: cp.baseAddress!, ldc: ldc, context: context)
        }
        naive.withUnsafeMutableBufferPointer { cp in
          gemmNaive(c.ta, c.tb, m: c.m, n: c.n, k: c.k, alpha: alpha, a: ap.baseAddress!, lda: lda, b: bp.baseAddress!, ldb: ldb, beta: beta, c: cp.baseAddress!, ldc: ldc)
        }
      }
    }
    return (fast, naive)
  }

  @Test(arguments: GEMMTests.cases)
  func matchesNaiveKernel(_ c: Case) {
    let ctx = GEMMContext()
    for (alpha, beta) in [(Float(1), Float(0)), (0.5, 1), (-2, 0.25)] {
      let (fast, naive) = Self.compare(c, alpha: alpha, beta: beta, context: ctx)
      // fp32 sums of k products of values in [-1, 1]: error grows like √k·ulp.
      let tolerance = 1e-5 * Double(c.k).squareRoot() * Double(max(abs(alpha), 1)) + 1e-6
      #expect(maxAbsoluteDifference(fast, naive) <= tolerance, "\(c.testDescription) alpha \(alpha) beta \(beta)")
    }
  }

  @Test func betaZeroIgnoresGarbageInC() {
    let a: [Float] = Array(repeating: 1, count: 64 * 64)
    var c: [Float] = Array(repeating: .nan, count: 64 * 64)
    a.withUnsafeBufferPointer { ap in
      c.withUnsafeMutableBufferPointer { cp in
        gemm(.none, .none, m: 64, n: 64, k: 64, alpha: 1, a: ap.baseAddress!, lda: 64, b: ap.baseAddress!, ldb: 64, beta: 0, c: cp.baseAddress!, ldc: 64)
      }
    }
    #expect(c.allSatisfy { $0 == 64 })
  }

  @Test func matrixMatmulMultipliesRowsByColumns() {
    let a = Matrix([[1, 2, 3], [4, 5, 6]])
    let b = Matrix([[7, 8], [9, 10], [11, 12]])
    #expect(a.matmul(b) == Matrix([[58, 64], [139, 154]]))
    #expect(a.transposed == Matrix([[1, 4], [2, 5], [3, 6]]))
  }
}
