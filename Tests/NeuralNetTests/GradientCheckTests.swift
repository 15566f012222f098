@testable import NeuralNet
import Testing
import TestSupport

/// Backpropagation against central finite differences, for every hidden
/// activation and every valid output/loss pairing, on networks three layers deep.
struct GradientCheckTests {
  struct Pairing: CustomTestStringConvertible, Sendable {
    let output: Activation
    let loss: Loss
    var testDescription: String { "\(output.rawValue)+\(loss.rawValue)" }
  }

  static let pairings: [Pairing] = Activation.outputChoices.flatMap { output in
    Loss.allCases.filter { $0.isCompatible(with: output) }.map { Pairing(output: output, loss: $0) }
  }

  /// Random inputs and targets suited to the loss: one-hot for cross-entropy,
  /// 0/1 for BCE, real values for MSE.
  static func problem(outputs: Int, pairing: Pairing, examples: Int, rng: inout SeededGenerator) -> (Matrix, Matrix) {
    var x = Matrix(rows: 4, cols: examples)
    for i in 0..<x.count { x.storage[i] = rng.uniform(-1.5, 1.5) }
    var y = Matrix(rows: outputs, cols: examples)
    for j in 0..<examples {
      switch pairing.loss {
      case .crossEntropy: y[Int(rng.next() % UInt64(outputs)), j] = 1
      case .bce: for k in 0..<outputs { y[k, j] = rng.uniform() < 0.5 ? 0 : 1 }
      case .mse: for k in 0..<outputs { y[k, j] = pairing.output == .linear ? rng.uniform(-2, 2) : rng.uniform() }
      }
    }
    return (x, y)
  }

  @Test(arguments: Activation.hiddenChoices, GradientCheckTests.pairings)
  func backpropagationMatchesFiniteDifferences(hidden: Activation, pairing: Pairing) throws {
    var rng = SeededGenerator(seed: 7)
    let outputs = 3
    let net = try Network(
      sizes: [4, 5, 4, outputs], hidden: hidden, output: pairing.output, loss: pairing.loss,
      initializer: .xavier, gain: 1.5, using: &rng)
    let (x, y) = Self.problem(outputs: outputs, pairing: pairing, examples: 5, rng: &rng)
    // Every kernel set this CPU runs (the products here take the direct loops).
    for kernels in KernelSet.supported {
      let result = gradientCheck(net, x: x, y: y, kernels: kernels)
      // The numeric side is Double (exact to ~1e-10); the analytic side is fp32
      // backprop, good to a few parts per million.
      #expect(result.count == net.parameterCount)
      #expect(result.maxAbsoluteDifference < 2e-5, "\(kernels.name): \(result)")
      #expect(result.maxRelativeDifference < 1e-3, "\(kernels.name): \(result)")
    }
  }

  @Test(arguments: KernelSet.supported)
  func blockedProductsBackpropagateRightToo(kernels: KernelSet) throws {
    // Wide enough that the hidden layers' products take the micro-kernels, partial tiles included.
    var rng = SeededGenerator(seed: 13)
    let pairing = Pairing(output: .softmax, loss: .crossEntropy)
    let net = try Network(sizes: [4, 36, 25, 3], hidden: .tanh, output: .softmax, loss: .crossEntropy, using: &rng)
    let (x, y) = Self.problem(outputs: 3, pairing: pairing, examples: 5, rng: &rng)
    let result = gradientCheck(net, x: x, y: y, kernels: kernels)
    // The numeric side is Double (exact to ~1e-10); the analytic side is fp32
    // backprop, good to a few parts per million.
    #expect(result.count == net.parameterCount)
    #expect(result.maxAbsoluteDifference < 2e-5, "\(result)")
    #expect(result.maxRelativeDifference < 1e-3, "\(result)")
  }

  @Test(arguments: [Activation.tanh, .relu])
  func l2PenaltyGradientMatchesFiniteDifferences(hidden: Activation) throws {
    var rng = SeededGenerator(seed: 11)
    let net = try Network(sizes: [4, 6, 5, 2], hidden: hidden, output: .softmax, loss: .crossEntropy, using: &rng)
    let (x, y) = Self.problem(outputs: 2, pairing: Pairing(output: .softmax, loss: .crossEntropy), examples: 4, rng: &rng)
    let result = gradientCheck(net, x: x, y: y, l2: 0.1)
    #expect(result.maxAbsoluteDifference < 2e-5, "\(result)")
    // The penalty really is in the gradient: it differs from the unpenalised one by λW.
    let plain = net.lossAndGradients(x: x, y: y).gradients
    let penalised = net.lossAndGradients(x: x, y: y, l2: 0.1).gradients
    let w = net.layers[0].weights.storage
    let diff = zip(penalised.weights[0].storage, plain.weights[0].storage).map { $0 - $1 }
    #expect(maxAbsoluteDifference(diff, w.map { 0.1 * $0 }) < 1e-6)
  }

  @Test func deepSigmoidGradientsStillMatch() throws {
    // Eight layers: small gradients near the input must still be right.
    var rng = SeededGenerator(seed: 3)
    let net = try Network(sizes: [4, 6, 6, 6, 6, 6, 6, 6, 1], hidden: .sigmoid, output: .sigmoid, loss: .bce, using: &rng)
    let (x, y) = Self.problem(outputs: 1, pairing: Pairing(output: .sigmoid, loss: .bce), examples: 6, rng: &rng)
    let result = gradientCheck(net, x: x, y: y)
    #expect(result.maxAbsoluteDifference < 1e-6, "\(result)")
    #expect(result.maxRelativeDifference < 1e-3, "\(result)")
  }

  @Test(arguments: GradientCheckTests.pairings)
  func referenceObjectiveMatchesTheEngine(pairing: Pairing) throws {
    // The Double reference the check differentiates computes the same J as the
    // fp32 engine, so a wrong backward pass cannot hide behind a wrong reference.
    var rng = SeededGenerator(seed: 5)
    let net = try Network(sizes: [4, 6, 3], hidden: .tanh, output: pairing.output, loss: pairing.loss, using: &rng)
    let (x, y) = Self.problem(outputs: 3, pairing: pairing, examples: 7, rng: &rng)
    let reference = ReferenceNetwork(net).objective(x: x, y: y, l2: 0.05)
    #expect(isApproximatelyEqual(net.objective(x: x, y: y, l2: 0.05), reference, relative: 1e-5))
  }
}
