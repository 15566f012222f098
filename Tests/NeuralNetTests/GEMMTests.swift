import Foundation
@testable import NeuralNet
import Testing
import TestSupport

extension KernelSet: CustomTestStringConvertible {
  public var testDescription: String { name }
}

/// The fast GEMM paths of every kernel set this CPU runs against the naive
/// reference kernel.
struct GEMMTests {
  struct Case: Sendable, CustomTestStringConvertible {
    let m, n, k: Int
    let ta, tb: Transpose
    var testDescription: String { "\(m)x\(n)x\(k) \(ta == .none ? "N" : "T")\(tb == .none ? "N" : "T")" }
  }

  /// Shapes hitting every path of every set: direct loops (dot products
  /// along k for fewer columns than a vector (64 × 2 × 32), one row with
  /// interleaved partial sums (1 × 32 × 64), whole and single vectors then
  /// single columns (3 × 37 × 30)); whole tiles (4 × 8, 6 × 16, 8 × 32);
  /// bottom tiles of every row count below MR (m mod 8 from 1 to 7, m mod 6
  /// from 1 to 5, m mod 4 from 1 to 3); partial right panels (padded), and
  /// right panels exactly one vector wide, computed in place (n = 16 or 48
  /// for AVX-512's 16 lanes, 8 or 24 for AVX2's 8, 4 or 20 for SSE's); k not
  /// a multiple of anything or past a k block (256); transposes with odd
  /// sizes and 8 × 8 blocks; more rows than a row block (256) against
  /// several packed panels.
  static let shapes = [
    (1, 1, 1), (2, 3, 4), (4, 8, 200), (6, 16, 8), (7, 17, 9), (8, 32, 16), (13, 33, 300), (64, 32, 64), (128, 129, 257),
    (5, 300, 3), (257, 10, 64), (10, 64, 128), (24, 48, 17), (9, 784, 33), (12, 64, 600), (300, 70, 20),
    (64, 2, 32), (1, 32, 64), (3, 37, 30), (3, 70, 40), (6, 50, 20), (7, 40, 30),
    (20, 16, 30), (20, 8, 30), (9, 24, 25), (10, 20, 30), (300, 4, 16),
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

  @Test(arguments: KernelSet.supported, GEMMTests.cases)
  func matchesNaiveKernel(kernels: KernelSet, _ c: Case) {
    let ctx = GEMMContext(kernels: kernels)
    for (alpha, beta) in [(Float(1), Float(0)), (0.5, 1), (-2, 0.25)] {
      let (fast, naive) = Self.compare(c, alpha: alpha, beta: beta, context: ctx)
      // fp32 sums of k products of values in [-1, 1]: error grows like √k·ulp.
      let tolerance = 1e-5 * Double(c.k).squareRoot() * Double(max(abs(alpha), 1)) + 1e-6
      #expect(maxAbsoluteDifference(fast, naive) <= tolerance, "\(kernels.name) \(c.testDescription) alpha \(alpha) beta \(beta)")
    }
  }

  @Test(arguments: KernelSet.supported, [4, 64])
  func betaZeroIgnoresGarbageInC(kernels: KernelSet, n: Int) {
    // n = 4: the direct loops; 64: the micro-kernels, edge tiles included (64 = 6·10 + 4).
    let a: [Float] = Array(repeating: 1, count: n * n)
    var c: [Float] = Array(repeating: .nan, count: n * n)
    a.withUnsafeBufferPointer { ap in
      c.withUnsafeMutableBufferPointer { cp in
        gemm(
          .none, .none, m: n, n: n, k: n, alpha: 1, a: ap.baseAddress!, lda: n, b: ap.baseAddress!, ldb: n, beta: 0,
          c: cp.baseAddress!, ldc: n, context: GEMMContext(kernels: kernels))
      }
    }
    #expect(c.allSatisfy { $0 == Float(n) })
  }

  @Test(arguments: KernelSet.supported)
  func zeroDepthOrAlphaOnlyScalesC(kernels: KernelSet) {
    // k = 0 or alpha = 0: C = beta · C, A and B never read (NaN there changes nothing).
    let garbage: [Float] = Array(repeating: .nan, count: 100)
    for (k, alpha) in [(0, Float(1)), (10, 0)] {
      var c: [Float] = (0..<100).map(Float.init)
      garbage.withUnsafeBufferPointer { g in
        c.withUnsafeMutableBufferPointer { cp in
          gemm(
            .none, .none, m: 10, n: 10, k: k, alpha: alpha, a: g.baseAddress!, lda: max(k, 1), b: g.baseAddress!, ldb: 10,
            beta: 0.5, c: cp.baseAddress!, ldc: 10, context: GEMMContext(kernels: kernels))
        }
      }
      #expect(c == (0..<100).map { Float($0) * 0.5 }, "k \(k) alpha \(alpha)")
    }
  }

  @Test(arguments: KernelSet.supported, [(1, 1), (8, 8), (13, 29), (128, 784), (37, 8)])
  func transposeMatchesTheDefinition(kernels: KernelSet, shape: (rows: Int, cols: Int)) {
    let (rows, cols) = shape, ld = cols + 3, ldd = rows + 5
    let src = (0..<(rows * ld)).map(Float.init)
    var dst = [Float](repeating: -1, count: cols * ldd)
    src.withUnsafeBufferPointer { s in
      dst.withUnsafeMutableBufferPointer { d in
        kernels.transpose(s.baseAddress!, ld: ld, rows: rows, cols: cols, into: d.baseAddress!, ldd: ldd)
      }
    }
    // The padding past `rows` in each row of dst is never written.
    var wrong: [(column: Int, row: Int)] = []
    for c in 0..<cols {
      for r in 0..<ldd {
        let want: Float = r < rows ? src[r * ld + c] : -1
        if dst[c * ldd + r] != want { wrong.append((c, r)) }
      }
    }
    #expect(wrong.isEmpty, "\(wrong.count) wrong, first \(String(describing: wrong.first))")
  }

  @Test func theBaselineRunsEverywhereAndTheBestComesFirst() {
    // Every CPU runs the baseline; the list is ordered by width, the active set is the best
    // unless NNTOP_KERNEL asks for another.
    #expect(KernelSet.supported.last?.name == "baseline")
    #expect(KernelSet.supported.map(\.lanes) == KernelSet.supported.map(\.lanes).sorted(by: >))
    #expect(KernelSet.supported.allSatisfy { $0.tileColumns == 2 * $0.lanes })
    if ProcessInfo.processInfo.environment["NNTOP_KERNEL"] == nil { #expect(KernelSet.active == KernelSet.supported[0]) }
  }

  @Test func theSetsFoundAreThoseLinuxSaysTheCPUHas() throws {
    // cpuid and xgetbv against the kernel's own reading of the CPU (/proc/cpuinfo's flags).
    #if os(Linux) && arch(x86_64)
      let info = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
      let flags = Set(info.split(separator: "\n").first { $0.hasPrefix("flags") }?.split(separator: " ").map(String.init) ?? [])
      let avx2 = flags.isSuperset(of: ["avx", "avx2", "fma"])
      let avx512 = avx2 && flags.isSuperset(of: ["avx512f", "avx512dq", "avx512bw", "avx512vl"])
      let want = (avx512 ? ["avx512"] : []) + (avx2 ? ["avx2"] : []) + ["baseline"]
      #expect(KernelSet.supported.map(\.name) == want, "flags say \(want)")
    #endif
  }

  @Test func matrixMatmulMultipliesRowsByColumns() {
    let a = Matrix([[1, 2, 3], [4, 5, 6]])
    let b = Matrix([[7, 8], [9, 10], [11, 12]])
    #expect(a.matmul(b) == Matrix([[58, 64], [139, 154]]))
    #expect(a.transposed == Matrix([[1, 4], [2, 5], [3, 6]]))
  }
}
