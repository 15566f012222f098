import Foundation
import NeuralNet
import Testing
import TestSupport

/// Loss values against their textbook formulas in Double.
struct LossTests {
  /// A one-layer network whose logits are exactly `z` (identity weights, zero bias).
  func value(_ loss: Loss, output: Activation, z: [Float], y: [Float], units: Int) throws -> Double {
    let batch = z.count / units
    var identity = Matrix(rows: units, cols: units)
    for i in 0..<units { identity[i, i] = 1 }
    let net = try Network(layers: [DenseLayer(weights: identity, bias: Array(repeating: 0, count: units), activation: output)], loss: loss)
    return net.objective(x: Matrix(rows: units, cols: batch, storage: z), y: Matrix(rows: units, cols: batch, storage: y))
  }

  func sigmoid(_ v: Double) -> Double { 1 / (1 + Foundation.exp(-v)) }

  @Test func binaryCrossEntropyIsStableForLargeLogits() throws {
    let z: [Float] = [0.3, -2, 40, -40]
    let y: [Float] = [1, 0, 0, 1]
    let got = try value(.bce, output: .sigmoid, z: z, y: y, units: 1)
    // Written from log-sigmoid: −log σ(z) = log(1+e^−z), −log(1−σ(z)) = log(1+e^z).
    let want = (Foundation.log1p(Foundation.exp(-0.3)) + Foundation.log1p(Foundation.exp(-2)) + (40 + Foundation.log1p(Foundation.exp(-40))) + (40 + Foundation.log1p(Foundation.exp(-40)))) / 4
    #expect(isApproximatelyEqual(got, want, relative: 1e-6))
  }

  @Test func crossEntropyIsMeanNegativeLogLikelihood() throws {
    // Two columns of three classes, laid out (units, batch).
    let z: [Float] = [1, 0, 2, 3, -1, 0.5]
    let y: [Float] = [0, 1, 1, 0, 0, 0]
    let got = try value(.crossEntropy, output: .softmax, z: z, y: y, units: 3)
    func logSoftmax(_ col: [Double], _ k: Int) -> Double { col[k] - Foundation.log(col.map(Foundation.exp).reduce(0, +)) }
    let want = -(logSoftmax([1, 2, -1], 1) + logSoftmax([0, 3, 0.5], 0)) / 2
    #expect(isApproximatelyEqual(got, want, relative: 1e-6))
  }

  @Test func meanSquaredErrorAveragesOverEveryOutput() throws {
    let z: [Float] = [1, 2, 3, 4]
    let y: [Float] = [0, 2, 5, 4]
    #expect(isApproximatelyEqual(try value(.mse, output: .linear, z: z, y: y, units: 2), (1 + 0 + 4 + 0) / 4.0, relative: 1e-7))
  }

  @Test func sigmoidCrossEntropyAndSoftmaxBCEUseTheirDefinitions() throws {
    let z: [Float] = [0.5, -1, 2, 0]
    let y: [Float] = [1, 0, 1, 1]
    let got = try value(.crossEntropy, output: .sigmoid, z: z, y: y, units: 2)
    let want = -(Foundation.log(sigmoid(0.5)) + Foundation.log(sigmoid(2)) + Foundation.log(sigmoid(0))) / 2
    #expect(isApproximatelyEqual(got, want, relative: 1e-6))
  }

  @Test func incompatibleLossAndOutputAreRejected() {
    #expect(throws: ArchitectureError.self) {
      try Network(layers: [DenseLayer(weights: Matrix(rows: 1, cols: 2), bias: [0], activation: .linear)], loss: .bce)
    }
    #expect(throws: ArchitectureError.self) {
      try Network(layers: [DenseLayer(weights: Matrix(rows: 2, cols: 2), bias: [0, 0], activation: .softmax), DenseLayer(weights: Matrix(rows: 1, cols: 2), bias: [0], activation: .sigmoid)], loss: .bce)
    }
    var rng = SeededGenerator(seed: 1)
    #expect(throws: ArchitectureError.self) { try Network(sizes: [2, 0, 1], hidden: .relu, output: .sigmoid, loss: .bce, using: &rng) }
  }
}
