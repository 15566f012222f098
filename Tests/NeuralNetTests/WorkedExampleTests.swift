import Foundation
import NeuralNet
import Testing
import TestSupport

/// The reference's worked example: a 2-2-1 sigmoid network, one example, BCE.
///
/// Each value is checked twice: against an independent Double computation of
/// the same formulas (tight), and against the number the reference prints.
/// The reference rounded its intermediates, so a printed value may differ from
/// the exact one by half a unit of its last digit or by 1 % (three-digit
/// roundings compound: its −0.224 is carried into later steps), whichever is larger: exact arithmetic gives
/// Z2 = 1.2455 where it prints 1.244, ∂J/∂W2 = [−0.1354, −0.1800] where it
/// prints [−0.136, −0.180].
struct WorkedExampleTests {
  let x = Matrix(column: [0.5, 0.2])
  let y = Matrix(column: [1])

  func network() throws -> Network {
    try Network(
      layers: [
        DenseLayer(weights: Matrix([[0.1, 0.4], [0.8, 0.6]]), bias: [0.3, 0.9], activation: .sigmoid),
        DenseLayer(weights: Matrix([[0.3, 0.7]]), bias: [0.5], activation: .sigmoid),
      ], loss: .bce)
  }

  /// The example in Double with Foundation's exp/log: the independent reference.
  struct Exact {
    let z1: [Double], a1: [Double], z2: Double, yHat: Double, j: Double
    let dZ2: Double, dW2: [Double], back: [Double], dSigma: [Double], dZ1: [Double], dW1: [[Double]]
    init() {
      let x = [0.5, 0.2], w1 = [[0.1, 0.4], [0.8, 0.6]], b1 = [0.3, 0.9], w2 = [0.3, 0.7], b2 = 0.5
      func sigma(_ v: Double) -> Double { 1 / (1 + Foundation.exp(-v)) }
      let z1 = (0..<2).map { w1[$0][0] * x[0] + w1[$0][1] * x[1] + b1[$0] }
      let a1 = z1.map(sigma)
      let z2 = w2[0] * a1[0] + w2[1] * a1[1] + b2
      let yHat = sigma(z2)
      let dZ2 = yHat - 1
      let back = w2.map { $0 * dZ2 }
      let dSigma = a1.map { $0 * (1 - $0) }
      let dZ1 = (0..<2).map { back[$0] * dSigma[$0] }
      (self.z1, self.a1, self.z2, self.yHat, self.j) = (z1, a1, z2, yHat, -Foundation.log(yHat))
      (self.dZ2, self.dW2, self.back, self.dSigma) = (dZ2, a1.map { dZ2 * $0 }, back, dSigma)
      self.dZ1 = dZ1
      self.dW1 = dZ1.map { d in x.map { d * $0 } }
    }
  }

  /// |printed − exact| within the reference's rounding (see the type's comment).
  func matchesPrinted(_ exact: Double, _ printed: Double, decimals: Int) -> Bool {
    let halfUnit = 0.5 * Foundation.pow(10, -Double(decimals))
    return abs(exact - printed) <= max(halfUnit, 0.01 * abs(printed)) + 1e-12
  }

  @Test func forwardPassMatchesReference() throws {
    let net = try network()
    let e = Exact()
    let hidden = net.layers[0]
    let z1 = hidden.weights.matmul(x).storage.enumerated().map { Double($1 + hidden.bias[$0]) }
    let a1 = Network.hiddenActivations(net, x)
    let out = net.predict(x)
    for i in 0..<2 {
      #expect(isApproximatelyEqual(z1[i], e.z1[i], absolute: 1e-6))
      #expect(isApproximatelyEqual(Double(a1[i]), e.a1[i], absolute: 1e-6))
    }
    #expect(isApproximatelyEqual(Double(out[0, 0]), e.yHat, absolute: 1e-6))
    // The printed values.
    #expect(matchesPrinted(z1[0], 0.43, decimals: 2) && matchesPrinted(z1[1], 1.42, decimals: 2))
    #expect(matchesPrinted(Double(a1[0]), 0.606, decimals: 3) && matchesPrinted(Double(a1[1]), 0.805, decimals: 3))
    // Z2 from the engine: W2·A1 + b2 with its own hidden activations, and the logit of its output.
    let output = net.layers[1]
    let z2 = Double(output.weights[0, 0] * a1[0] + output.weights[0, 1] * a1[1] + output.bias[0])
    #expect(isApproximatelyEqual(z2, e.z2, absolute: 1e-6))
    #expect(isApproximatelyEqual(log(Double(out[0, 0]) / (1 - Double(out[0, 0]))), e.z2, absolute: 1e-5))
    #expect(matchesPrinted(z2, 1.244, decimals: 3))
    #expect(abs(z2 - 1.2455) < 5e-5, "exact Z2 is 1.2455 (printed 1.244)")
    #expect(matchesPrinted(Double(out[0, 0]), 0.776, decimals: 3))
  }

  @Test func lossAndBackwardPassMatchReference() throws {
    let net = try network()
    let e = Exact()
    let (loss, g) = net.lossAndGradients(x: x, y: y)
    #expect(isApproximatelyEqual(loss, e.j, absolute: 1e-6))
    #expect(matchesPrinted(loss, 0.253, decimals: 3))
    // ∂J/∂W2 = dZ2 · A1ᵀ and ∂J/∂b2 = dZ2.
    for i in 0..<2 { #expect(isApproximatelyEqual(Double(g.weights[1][0, i]), e.dW2[i], absolute: 1e-6)) }
    #expect(isApproximatelyEqual(Double(g.biases[1][0]), e.dZ2, absolute: 1e-6))
    #expect(matchesPrinted(Double(g.weights[1][0, 0]), -0.136, decimals: 3))
    #expect(matchesPrinted(Double(g.weights[1][0, 1]), -0.180, decimals: 3))
    #expect(abs(Double(g.weights[1][0, 0]) - -0.1354) < 5e-5, "exact ∂J/∂W2[0] is −0.1354 (printed −0.136)")
    #expect(matchesPrinted(Double(g.biases[1][0]), -0.224, decimals: 3))
    // Intermediates the reference prints on the way to dZ1, from the engine's
    // own numbers: W2ᵀ·dZ2 from its weights and gradient, σ'(Z1) = dZ1 ÷ that.
    let back = (0..<2).map { Double(net.layers[1].weights[0, $0]) * Double(g.biases[1][0]) }
    let dSigma = (0..<2).map { Double(g.biases[0][$0]) / back[$0] }
    for i in 0..<2 {
      #expect(isApproximatelyEqual(back[i], e.back[i], absolute: 1e-6))
      #expect(isApproximatelyEqual(dSigma[i], e.dSigma[i], absolute: 1e-5))
    }
    #expect(matchesPrinted(back[0], -0.0672, decimals: 4) && matchesPrinted(back[1], -0.1568, decimals: 4))
    #expect(matchesPrinted(dSigma[0], 0.239, decimals: 3) && matchesPrinted(dSigma[1], 0.157, decimals: 3))
    // ∂J/∂b1 = dZ1 and ∂J/∂W1 = dZ1 · Xᵀ.
    let printedDZ1 = [-0.0161, -0.0246]
    let printedDW1 = [[-0.0080, -0.0032], [-0.0123, -0.0049]]
    for i in 0..<2 {
      #expect(isApproximatelyEqual(Double(g.biases[0][i]), e.dZ1[i], absolute: 1e-6))
      #expect(matchesPrinted(Double(g.biases[0][i]), printedDZ1[i], decimals: 4))
      for k in 0..<2 {
        #expect(isApproximatelyEqual(Double(g.weights[0][i, k]), e.dW1[i][k], absolute: 1e-6))
        #expect(matchesPrinted(Double(g.weights[0][i, k]), printedDW1[i][k], decimals: 4))
      }
    }
  }

  @Test(arguments: [0.5, 0.1, 2.0])
  func updateMovesEveryParameterByEtaTimesGradient(eta: Float) throws {
    var net = try network()
    let before = net
    let e = Exact()
    let ws = Workspace(network: net, capacity: 1)
    x.storage.withUnsafeBufferPointer { xb in
      y.storage.withUnsafeBufferPointer { yb in
        net.forward(xb.baseAddress!, batch: 1, workspace: ws)
        net.backward(input: xb.baseAddress!, targets: yb.baseAddress!, batch: 1, workspace: ws)
      }
    }
    var sgd = Optimizer(kind: .sgd, learningRate: eta)
    sgd.step(&net, gradients: ws)
    for i in 0..<2 {
      let expected = Double(before.layers[1].weights[0, i]) - Double(eta) * e.dW2[i]
      #expect(isApproximatelyEqual(Double(net.layers[1].weights[0, i]), expected, absolute: 1e-6))
      for k in 0..<2 {
        let expected1 = Double(before.layers[0].weights[i, k]) - Double(eta) * e.dW1[i][k]
        #expect(isApproximatelyEqual(Double(net.layers[0].weights[i, k]), expected1, absolute: 1e-6))
      }
      #expect(isApproximatelyEqual(Double(net.layers[0].bias[i]), Double(before.layers[0].bias[i]) - Double(eta) * e.dZ1[i], absolute: 1e-6))
    }
    #expect(isApproximatelyEqual(Double(net.layers[1].bias[0]), 0.5 - Double(eta) * e.dZ2, absolute: 1e-6))
    // One step lowers the loss for a small enough η.
    if eta <= 0.5 { #expect(net.objective(x: x, y: y) < before.objective(x: x, y: y)) }
  }
}

extension Network {
  /// A⁽¹⁾ of a one-column input, through a workspace.
  static func hiddenActivations(_ net: Network, _ x: Matrix) -> [Float] {
    let ws = Workspace(network: net, capacity: 1)
    x.storage.withUnsafeBufferPointer { net.forward($0.baseAddress!, batch: 1, workspace: ws) }
    return Array(ws.activation(layer: 0, batch: 1))
  }
}
