import Foundation
@testable import NeuralNet
import Testing
import TestSupport

/// The vectorised exp/tanh/sigmoid and the Double exp/log against Foundation.
struct VectorMathTests {
  static let grid: [Float] = stride(from: -30.0, through: 30.0, by: 0.01).map { Float($0) } + [0, 1e-6, -1e-6, 1e-3, 0.4999, 0.5001, 87, -87, 100, -100]

  @Test func expIsAccurateToAFewUlp() {
    var worst = 0.0
    for x in Self.grid where abs(x) < 85 {
      let got = Double(VectorMath.exp(x))
      let want = Foundation.exp(Double(x))
      worst = max(worst, abs(got - want) / want)
    }
    #expect(worst < 1e-6, "worst relative error \(worst)")
    #expect(VectorMath.exp(-200).isFinite && VectorMath.exp(200).isFinite)
  }

  @Test func tanhAndSigmoidAreAccurate() {
    var worstTanh = 0.0, worstSigmoid = 0.0
    for x in Self.grid {
      let t = Double(Activation.tanh(x)), s = Double(Activation.sigmoid(x))
      let wantT = Foundation.tanh(Double(x)), wantS = 1 / (1 + Foundation.exp(-Double(x)))
      worstTanh = max(worstTanh, abs(t - wantT) / max(abs(wantT), 1e-30))
      // Relative where σ(x) is a normal fp32 number, absolute below.
      worstSigmoid = max(worstSigmoid, x > -80 ? abs(s - wantS) / wantS : abs(s - wantS) / 1e-30)
      #expect(t >= -1 && t <= 1 && s >= 0 && s <= 1)
    }
    #expect(worstTanh < 2e-6, "tanh worst relative error \(worstTanh)")
    #expect(worstSigmoid < 2e-6, "sigmoid worst relative error \(worstSigmoid)")
  }

  @Test func logIsAccurateToAFewUlp() {
    var worst = 0.0
    var x: Float = 1e-30
    while x < 1e30 {
      let got = Double(VectorMath.log(Vec(repeating: x))[0])
      let want = Foundation.log(Double(x))
      worst = max(worst, abs(got - want) / max(abs(want), 1))
      x *= 1.37
    }
    #expect(worst < 1e-6, "worst error \(worst)")
    let special = VectorMath.log(Vec(repeating: 0))[0], negative = VectorMath.log(Vec(repeating: -1))[0]
    #expect(special == -.infinity && negative.isNaN)
    #expect(VectorMath.log(Vec(repeating: 1))[0] == 0)
  }

  @Test func sumDropsTheLanesPastTheEnd() {
    // 37 ones: the last vector is partial, its extra lanes must not count.
    let ones = [Float](repeating: 1, count: 40)
    let total = ones.withUnsafeBufferPointer { p in VectorMath.sum(37) { i, l in VectorMath.load(p.baseAddress! + i, l, fill: 9) } }
    #expect(total == 37)
  }

  @Test func activationsOnAFewKnownPoints() {
    #expect(Activation.relu(-2) == 0 && Activation.relu(3) == 3)
    #expect(Activation.leakyReLU(-2) == -0.02 && Activation.leakyReLU(3) == 3)
    #expect(Activation.linear(-2.5) == -2.5)
    #expect(Activation.sigmoid(0) == 0.5 && Activation.tanh(0) == 0)
  }

  @Test func softmaxColumnsSumToOneAndMatchDefinition() {
    var z: [Float] = [1, 2, 1000, -3, 0.5, 0, 2, 1000, 4, 0.25, 1, 999]  // (3 units, 4 columns)
    z.withUnsafeMutableBufferPointer { Activation.softmaxColumns($0.baseAddress!, units: 3, batch: 4) }
    for j in 0..<4 {
      let sum = (0..<3).reduce(Float(0)) { $0 + z[$1 * 4 + j] }
      #expect(abs(sum - 1) < 1e-6)
    }
    // Column 0: softmax(1, 0.5, 4).
    let e = [Foundation.exp(1.0), Foundation.exp(0.5), Foundation.exp(4.0)]
    let total = e.reduce(0, +)
    #expect(isApproximatelyEqual(Double(z[0]), e[0] / total, absolute: 1e-6))
    #expect(isApproximatelyEqual(Double(z[8]), e[2] / total, absolute: 1e-6))
    // Column 2: logits 1000, 2, 1 — no overflow.
    #expect(isApproximatelyEqual(Double(z[2]), 1, absolute: 1e-6))
  }

  @Test func doubleExpAndLogMatchFoundation() {
    for x in stride(from: -700.0, through: 700.0, by: 0.37) {
      #expect(isApproximatelyEqual(ScalarMath.exp(x), Foundation.exp(x), relative: 1e-13))
    }
    for x in [1e-300, 1e-10, 0.3, 0.999, 1, 1.5, 2, 10, 12345.678, 1e300] {
      #expect(isApproximatelyEqual(ScalarMath.log(x), Foundation.log(x), absolute: 1e-14, relative: 1e-13))
    }
    for x in [0, 1e-12, 1e-5, 0.1, 0.39, 0.5, 1, 3] {
      #expect(isApproximatelyEqual(ScalarMath.log1p(x), Foundation.log1p(x), absolute: 1e-16, relative: 1e-13))
    }
    #expect(ScalarMath.log(0) == -.infinity && ScalarMath.log(-1).isNaN)
  }
}
