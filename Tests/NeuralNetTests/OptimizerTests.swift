import Foundation
import NeuralNet
import Testing
import TestSupport

/// Optimisers against their update rules written out in Double.
struct OptimizerTests {
  /// A 1→1 linear network with MSE: J = (wx + b − y)², so ∂J/∂w = 2(wx+b−y)x.
  func run(_ kind: OptimizerKind, lr: Float, steps: Int) throws -> (w: Float, expected: Double) {
    var net = try Network(layers: [DenseLayer(weights: Matrix([[0.5]]), bias: [0], activation: .linear)], loss: .mse)
    var opt = Optimizer(kind: kind, learningRate: lr)
    let ws = Workspace(network: net, capacity: 1)
    var x: Float = 2, y: Float = 3
    var w = 0.5, b = 0.0, m = [0.0, 0.0], v = [0.0, 0.0]
    for t in 1...steps {
      net.forward(&x, batch: 1, workspace: ws)
      net.backward(input: &x, targets: &y, batch: 1, workspace: ws)
      opt.step(&net, gradients: ws)
      let r = w * 2 + b - 3
      let g = [2 * r * 2, 2 * r]
      var delta = [0.0, 0.0]
      for i in 0..<2 {
        switch kind {
        case .sgd: delta[i] = Double(lr) * g[i]
        case .momentum:
          m[i] = 0.9 * m[i] + g[i]
          delta[i] = Double(lr) * m[i]
        case .adam:
          m[i] = 0.9 * m[i] + 0.1 * g[i]
          v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i]
          let mHat = m[i] / (1 - Foundation.pow(0.9, Double(t)))
          let vHat = v[i] / (1 - Foundation.pow(0.999, Double(t)))
          delta[i] = Double(lr) * mHat / (vHat.squareRoot() + 1e-8)
        }
      }
      w -= delta[0]
      b -= delta[1]
    }
    return (net.layers[0].weights[0, 0], w)
  }

  @Test(arguments: OptimizerKind.allCases)
  func updatesFollowTheirRule(kind: OptimizerKind) throws {
    let (w, expected) = try run(kind, lr: 0.01, steps: 25)
    #expect(isApproximatelyEqual(Double(w), expected, absolute: 1e-5, relative: 1e-5), "\(kind): \(w) vs \(expected)")
    #expect(abs(Double(w) - 0.5) > 1e-3, "the weight moved")
  }

  @Test func updateNormsAreReported() throws {
    var rng = SeededGenerator(seed: 2)
    var net = try Network(sizes: [3, 4, 2], hidden: .tanh, output: .softmax, loss: .crossEntropy, using: &rng)
    let before = net
    let ws = Workspace(network: net, capacity: 2)
    var x: [Float] = [0.1, 0.2, 0.3, -0.1, 0.5, 0.9]
    var y: [Float] = [1, 0, 0, 1]
    net.forward(&x, batch: 2, workspace: ws)
    net.backward(input: &x, targets: &y, batch: 2, workspace: ws)
    var opt = Optimizer(kind: .sgd, learningRate: 0.3)
    var norms = [Double](repeating: -1, count: 2)
    norms.withUnsafeMutableBufferPointer { opt.step(&net, gradients: ws, updateNorms: $0) }
    for l in 0..<2 {
      let delta = zip(net.layers[l].weights.storage, before.layers[l].weights.storage).map { Double($0 - $1) }
      let norm = delta.reduce(0) { $0 + $1 * $1 }.squareRoot()
      #expect(isApproximatelyEqual(norms[l], norm, relative: 1e-4))
    }
  }

  @Test func heAndXavierHaveTheirVariance() {
    var rng = SeededGenerator(seed: 9)
    let he = Initializer.he.weights(fanIn: 200, fanOut: 300, activation: .relu, using: &rng).storage
    let xavier = Initializer.xavier.weights(fanIn: 200, fanOut: 300, activation: .tanh, using: &rng).storage
    func variance(_ v: [Float]) -> Double {
      let mean = v.reduce(0.0) { $0 + Double($1) } / Double(v.count)
      return v.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(v.count)
    }
    #expect(isApproximatelyEqual(variance(he), 2.0 / 200, relative: 0.03))
    #expect(isApproximatelyEqual(variance(xavier), 2.0 / 500, relative: 0.03))
    #expect(xavier.allSatisfy { abs($0) <= Float(6.0 / 500).squareRoot() })
    #expect(Initializer.auto.resolved(for: .relu) == .he && Initializer.auto.resolved(for: .sigmoid) == .xavier)
  }

  @Test func sameSeedSameWeights() throws {
    var a = SeededGenerator(seed: 42), b = SeededGenerator(seed: 42), c = SeededGenerator(seed: 43)
    let n1 = try Network(sizes: [5, 7, 3], hidden: .relu, output: .softmax, loss: .crossEntropy, using: &a)
    let n2 = try Network(sizes: [5, 7, 3], hidden: .relu, output: .softmax, loss: .crossEntropy, using: &b)
    let n3 = try Network(sizes: [5, 7, 3], hidden: .relu, output: .softmax, loss: .crossEntropy, using: &c)
    #expect(n1 == n2)
    #expect(n1 != n3)
  }

  @Test(arguments: [([5, 40, 33, 3], Activation.tanh, Activation.softmax), ([9, 16, 1], .relu, .sigmoid), ([3, 20, 20, 4], .sigmoid, .linear)])
  func fusedStepEqualsBackwardThenUpdate(sizes: [Int], hidden: Activation, output: Activation) throws {
    // The fused SGD step (W updated inside the dW product) against the
    // plain path: gradients written out, then W ← W − η·∂J/∂W.
    var rng = SeededGenerator(seed: 4)
    let loss: Loss = output == .softmax ? .crossEntropy : output == .sigmoid ? .bce : .mse
    var fused = try Network(sizes: sizes, hidden: hidden, output: output, loss: loss, using: &rng)
    var plain = fused
    let batch = 37
    let x = (0..<(sizes[0] * batch)).map { _ in rng.uniform(-1, 1) }
    var y = [Float](repeating: 0, count: sizes.last! * batch)
    for j in 0..<batch { y[Int(rng.next() % UInt64(sizes.last!)) * batch + j] = 1 }
    let wsFused = Workspace(network: fused, capacity: batch), wsPlain = Workspace(network: plain, capacity: batch)
    var optFused = Optimizer(kind: .sgd, learningRate: 0.3), optPlain = optFused
    for _ in 0..<3 {
      x.withUnsafeBufferPointer { xp in
        y.withUnsafeBufferPointer { yp in
          fused.trainingStep(input: xp.baseAddress!, targets: yp.baseAddress!, batch: batch, optimizer: &optFused, workspace: wsFused)
          plain.forward(xp.baseAddress!, batch: batch, workspace: wsPlain)
          plain.backward(input: xp.baseAddress!, targets: yp.baseAddress!, batch: batch, workspace: wsPlain)
          optPlain.step(&plain, gradients: wsPlain)
        }
      }
    }
    for l in fused.layers.indices {
      #expect(maxAbsoluteDifference(fused.layers[l].weights.storage, plain.layers[l].weights.storage) < 1e-5)
      #expect(maxAbsoluteDifference(fused.layers[l].bias, plain.layers[l].bias) < 1e-5)
    }
    #expect(optFused.steps == 3)
  }
}
