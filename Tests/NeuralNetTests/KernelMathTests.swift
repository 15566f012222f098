import Foundation
@testable import NeuralNet
import Testing
import TestSupport

/// Every kernel set's vector maths, activations, softmax and losses against
/// Foundation's Double functions and the definitions, with lengths that leave
/// partial vectors at the end (37 = 2·16 + 5 = 4·8 + 5 = 9·4 + 1).
struct KernelMathTests {
  static let grid: [Float] = stride(from: -30.0, through: 30.0, by: 0.01).map { Float($0) } + [0, 1e-6, -1e-6, 1e-3, 0.4999, 0.5001, 87, -87, 100, -100]

  static func applied(_ function: KernelSet.Function, _ kernels: KernelSet, _ xs: [Float]) -> [Float] {
    var v = xs
    v.withUnsafeMutableBufferPointer { kernels.apply(function, to: $0.baseAddress!, count: $0.count) }
    return v
  }

  @Test(arguments: KernelSet.supported)
  func expIsAccurateToAFewUlp(kernels: KernelSet) {
    let xs = Self.grid.filter { abs($0) < 85 }
    let got = Self.applied(.exp, kernels, xs)
    let errors: [Double] = zip(xs, got).map { x, g in abs(Double(g) - Foundation.exp(Double(x))) / Foundation.exp(Double(x)) }
    let worst = errors.max() ?? .infinity
    #expect(worst < 1e-6, "worst relative error \(worst)")
    let extremes = Self.applied(.exp, kernels, [-200, 200])
    #expect(extremes.allSatisfy { $0.isFinite })
  }

  @Test(arguments: KernelSet.supported)
  func tanhAndSigmoidAreAccurate(kernels: KernelSet) {
    let t = Self.applied(.tanh, kernels, Self.grid), s = Self.applied(.sigmoid, kernels, Self.grid)
    var worstTanh = 0.0, worstSigmoid = 0.0
    for (i, x) in Self.grid.enumerated() {
      let wantT = Foundation.tanh(Double(x)), wantS = 1 / (1 + Foundation.exp(-Double(x)))
      worstTanh = max(worstTanh, abs(Double(t[i]) - wantT) / max(abs(wantT), 1e-30))
      // Relative where σ(x) is a normal fp32 number, absolute below.
      worstSigmoid = max(worstSigmoid, x > -80 ? abs(Double(s[i]) - wantS) / wantS : abs(Double(s[i]) - wantS) / 1e-30)
    }
    #expect(t.allSatisfy { $0 >= -1 && $0 <= 1 } && s.allSatisfy { $0 >= 0 && $0 <= 1 })
    #expect(worstTanh < 2e-6, "tanh worst relative error \(worstTanh)")
    #expect(worstSigmoid < 2e-6, "sigmoid worst relative error \(worstSigmoid)")
  }

  @Test(arguments: KernelSet.supported)
  func logIsAccurateToAFewUlp(kernels: KernelSet) {
    let xs = (0..<220).map { Float(1e-30 * Foundation.pow(1.37, Double($0))) }.filter { $0 < 1e30 }
    let got = Self.applied(.log, kernels, xs)
    let errors: [Double] = zip(xs, got).map { x, g in abs(Double(g) - Foundation.log(Double(x))) / max(abs(Foundation.log(Double(x))), 1) }
    let worst = errors.max() ?? .infinity
    #expect(worst < 1e-6, "worst error \(worst)")
    let special = Self.applied(.log, kernels, [0, -1, 1])
    #expect(special[0] == -.infinity && special[1].isNaN && special[2] == 0)
  }

  @Test(arguments: KernelSet.supported, Activation.hiddenChoices)
  func activationsAndDerivativesMatchTheirDefinitions(kernels: KernelSet, activation: Activation) {
    // (3 units, 37 examples), a bias per unit.
    var rng = SeededGenerator(seed: 9)
    let z = (0..<(3 * 37)).map { _ in rng.uniform(-4, 4) }, bias: [Float] = [0.5, -1, 0]
    var a = z
    a.withUnsafeMutableBufferPointer { activation.forward($0.baseAddress!, bias: bias, units: 3, batch: 37, kernels: kernels) }
    let want = z.indices.map { i -> Double in
      let v = Double(z[i] + bias[i / 37])
      switch activation {
      case .sigmoid: return 1 / (1 + Foundation.exp(-v))
      case .tanh: return Foundation.tanh(v)
      case .relu: return max(v, 0)
      case .leakyReLU: return v < 0 ? 0.01 * v : v
      default: return v
      }
    }
    #expect(maxAbsoluteDifference(a, want.map(Float.init)) < 2e-6)
    let upstream = (0..<(3 * 37)).map { _ in rng.uniform(-1, 1) }
    var delta = upstream
    delta.withUnsafeMutableBufferPointer { activation.multiplyDerivative($0.baseAddress!, activation: a, count: a.count, kernels: kernels) }
    let wantDelta = a.indices.map { upstream[$0] * activation.derivative(activation: a[$0]) }
    #expect(maxAbsoluteDifference(delta, wantDelta) < 1e-6)
  }

  @Test(arguments: KernelSet.supported)
  func activationsOnAFewKnownPoints(kernels: KernelSet) {
    func f(_ activation: Activation, _ x: Float) -> Float {
      var v = x
      activation.forward(&v, bias: nil, units: 1, batch: 1, kernels: kernels)
      return v
    }
    #expect(f(.relu, -2) == 0 && f(.relu, 3) == 3)
    #expect(f(.leakyReLU, -2) == -0.02 && f(.leakyReLU, 3) == 3)
    #expect(f(.linear, -2.5) == -2.5)
    #expect(f(.sigmoid, 0) == 0.5 && f(.tanh, 0) == 0)
  }

  /// A diverged run must show NaN, not a plausible number (the health
  /// monitor looks for it); infinities saturate.
  @Test(arguments: KernelSet.supported)
  func activationsPassNaNOnAndSaturateAtInfinity(kernels: KernelSet) {
    func f(_ activation: Activation, _ x: Float) -> Float {
      // A whole vector of lanes and a tail, so both paths are seen.
      var v = [Float](repeating: x, count: kernels.lanes + 3)
      v.withUnsafeMutableBufferPointer { activation.forward($0.baseAddress!, bias: nil, units: 1, batch: $0.count, kernels: kernels) }
      #expect(v.allSatisfy { $0.bitPattern == v[0].bitPattern }, "\(activation) of \(x): lanes differ")
      return v[0]
    }
    for activation in Activation.hiddenChoices {
      #expect(f(activation, .nan).isNaN, "\(activation)(NaN)")
    }
    // σ is clamped at ±87, where it is 1 or still a normal number (1.6e-38).
    #expect(f(.sigmoid, .infinity) == 1 && f(.sigmoid, -.infinity) > 0 && f(.sigmoid, -.infinity) < 2e-38)
    #expect(f(.tanh, .infinity) == 1 && f(.tanh, -.infinity) == -1)
    #expect(f(.relu, .infinity) == .infinity && f(.relu, -.infinity) == 0)
  }

  @Test(arguments: KernelSet.supported)
  func softmaxColumnsSumToOneAndMatchDefinition(kernels: KernelSet) {
    // (3 units, 37 columns); column 2 holds 1000, 2, 1 (no overflow).
    var rng = SeededGenerator(seed: 4)
    var z = (0..<(3 * 37)).map { _ in rng.uniform(-5, 5) }
    z[2] = 1000; z[37 + 2] = 2; z[74 + 2] = 1
    let logits = z
    z.withUnsafeMutableBufferPointer { Activation.softmax.forward($0.baseAddress!, bias: nil, units: 3, batch: 37, kernels: kernels) }
    for j in 0..<37 {
      let column = (0..<3).map { Double(logits[$0 * 37 + j]) }, top = column.max()!
      let want = column.map { Foundation.exp($0 - top) / column.map { Foundation.exp($0 - top) }.reduce(0, +) }
      for k in 0..<3 { #expect(isApproximatelyEqual(Double(z[k * 37 + j]), want[k], absolute: 1e-6), "(\(k), \(j))") }
    }
    #expect(isApproximatelyEqual(Double(z[2]), 1, absolute: 1e-6))
  }

  @Test(arguments: KernelSet.supported)
  func lossesMatchTheirDefinitions(kernels: KernelSet) {
    // (2 units, 37 examples): logits, their outputs, 0/1 targets (one-hot per column for softmax).
    var rng = SeededGenerator(seed: 21)
    let units = 2, batch = 37, n = units * batch
    let z = (0..<n).map { _ in rng.uniform(-6, 6) }
    let labels = (0..<batch).map { _ in Int(rng.next() % 2) }
    let y = (0..<n).map { i in Float(labels[i % batch] == i / batch ? 1 : 0) }
    func sigmoid(_ v: Double) -> Double { 1 / (1 + Foundation.exp(-v)) }
    let s = z.map { Float(sigmoid(Double($0))) }
    let zd = z.map(Double.init), yd = y.map(Double.init), sd = s.map(Double.init)
    let logSoftmax = (0..<n).map { i -> Double in
      let j = i % batch, top = max(zd[j], zd[batch + j])
      return zd[i] - top - Foundation.log(Foundation.exp(zd[j] - top) + Foundation.exp(zd[batch + j] - top))
    }
    let cases: [(Loss, Activation, [Float], Double)] = [
      (.mse, .sigmoid, s, zip(sd, yd).map { ($0 - $1) * ($0 - $1) }.reduce(0, +) / Double(n)),
      (.bce, .sigmoid, s, zip(zd, yd).map { z, y in -(y * Foundation.log(sigmoid(z)) + (1 - y) * Foundation.log(1 - sigmoid(z))) }.reduce(0, +) / Double(batch)),
      (.bce, .softmax, s, zip(sd, yd).map { a, y in -(y * Foundation.log(a) + (1 - y) * Foundation.log(1 - a)) }.reduce(0, +) / Double(batch)),
      (.crossEntropy, .softmax, s, zip(logSoftmax, yd).map { -$0 * $1 }.reduce(0, +) / Double(batch)),
      (.crossEntropy, .sigmoid, s, zip(zd, yd).map { z, y in -y * Foundation.log(sigmoid(z)) }.reduce(0, +) / Double(batch)),
    ]
    for (loss, output, a, want) in cases {
      let got = loss.value(output: output, logits: z, predictions: a, targets: y, units: units, batch: batch, kernels: kernels)
      #expect(isApproximatelyEqual(got, want, relative: 1e-5), "\(loss) after \(output): \(got) vs \(want)")
    }
  }

  @Test(arguments: KernelSet.supported)
  func rowSumsAddEveryElementOfARowOnce(kernels: KernelSet) {
    // Rows of 37 (1…37 and 38…74), then 3 more values the sums must not
    // reach: the tail past the last whole vector counts once, nothing after it.
    let values = (0..<77).map { Float($0 < 74 ? $0 + 1 : 1000) }
    var out: [Float] = [5, 7]
    values.withUnsafeBufferPointer { p in
      out.withUnsafeMutableBufferPointer { kernels.rowSums(p.baseAddress!, rows: 2, cols: 37, into: $0.baseAddress!) }
    }
    #expect(out == [703, 2072])
    // SGD's bias step: out −= η · Σ row, η = 0.5.
    values.withUnsafeBufferPointer { p in
      out.withUnsafeMutableBufferPointer {
        kernels.rowSums(p.baseAddress!, rows: 2, cols: 37, alpha: -0.5, into: $0.baseAddress!, accumulate: true)
      }
    }
    #expect(out == [351.5, 1036])
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

/// After `KernelSet.flushSubnormals()` a thread reads and writes subnormal
/// floats as 0 (x86's FTZ and DAZ) until it restores the mode it returned.
@Suite struct SubnormalTests {
  /// Computed at run time from an array, so the compiler cannot fold it.
  static func product(_ values: [Float]) -> Float { values.reduce(1, *) }

  @Test func flushedUntilTheModeIsRestored() {
    #if arch(x86_64)
      final class Results: @unchecked Sendable {
        // Written by the thread before `done` is signalled, read after the wait.
        var before: Float = .nan, flushed: Float = .nan, input: Float = .nan, after: Float = .nan
        let done = DispatchSemaphore(value: 0)
      }
      let r = Results()
      let tiny: [Float] = [1e-30, 1e-10]  // 1e-40: subnormal
      let subnormalInput: [Float] = [Float.leastNormalMagnitude / 4, 1]
      Thread {
        r.before = Self.product(tiny)
        let mode = KernelSet.flushSubnormals()
        r.flushed = Self.product(tiny)
        r.input = Self.product(subnormalInput)
        KernelSet.restoreFloatMode(mode)
        r.after = Self.product(tiny)
        r.done.signal()
      }.start()
      r.done.wait()
      #expect(r.before > 0 && !r.before.isNormal, "a new thread keeps subnormals (no thread is left flushing): \(r.before)")
      #expect(r.flushed == 0, "FTZ: a subnormal result is 0, got \(r.flushed)")
      #expect(r.input == 0, "DAZ: a subnormal input reads as 0, got \(r.input)")
      #expect(r.after == r.before, "restored")
    #endif
  }
}
