import ArgumentParser
import RunEvents
import Foundation
import NeuralNet
import NumberFormat

/// `nntop example`: the reference's worked example, step by step, computed
/// by the engine, each value printed in full beside the reference's rounded
/// one where the two differ.
struct Example: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Print the worked example of the reference (2-2-1 sigmoid network, BCE) step by step.")

  @Option(parsing: .unconditional, help: "Learning rate η for the update step.")
  var lr = TypedNumber(argument: "0.5")!

  func validate() throws {
    if let problem = LearningRateRange.problem(lr.value, text: lr.text, name: "--lr") { throw ValidationError(problem) }
  }

  func run() throws {
    print(WorkedExample(eta: lr.floatValue).text)
  }
}

/// The worked example's values, from the engine.
struct WorkedExample {
  let eta: Float

  var text: String {
    let x = Matrix(column: [0.5, 0.2])
    let y = Matrix(column: [1])
    var net = try! Network(
      layers: [
        DenseLayer(weights: Matrix([[0.1, 0.4], [0.8, 0.6]]), bias: [0.3, 0.9], activation: .sigmoid),
        DenseLayer(weights: Matrix([[0.3, 0.7]]), bias: [0.5], activation: .sigmoid),
      ], loss: .bce)
    let (w1, b1, w2, b2) = (net.layers[0].weights, net.layers[0].bias, net.layers[1].weights, net.layers[1].bias)
    // Forward, through the engine.
    let z1 = zip(w1.matmul(x).storage, b1).map { $0 + $1 }
    let a1 = z1.map { Activation.sigmoid($0) }
    let z2 = w2.matmul(Matrix(column: a1)).storage[0] + b2[0]
    let yHat = net.predict(x).storage[0]
    let (loss, g) = net.lossAndGradients(x: x, y: y)
    let dZ2 = g.biases[1][0]
    let back = w2.transposed.matmul(Matrix(column: [dZ2])).storage
    let dSigma = a1.map { Activation.sigmoid.derivative(activation: $0) }
    var lines: [String] = []
    func row(_ label: String, _ value: String, reference: String? = nil, note: String = "") {
      let left = "  " + label.padding(toLength: 36, withPad: " ", startingAt: 0) + "= " + value
      if let reference {
        lines.append(left.padding(toLength: 74, withPad: " ", startingAt: 0) + "reference prints \(reference)" + (note.isEmpty ? "" : " (\(note))"))
      } else {
        lines.append(left)
      }
    }
    /// A value beside the reference's printed one, shown only where they differ at the reference's precision.
    func compare(_ label: String, _ values: [Float], _ printed: [Double], decimals: Int, note: String = "") {
      let same = zip(values, printed).allSatisfy { v, p in fixed(Double(v), decimals) == fixed(p, decimals) }
      row(label, vector(values), reference: same ? nil : vector(printed.map(Float.init), decimals: decimals), note: note)
    }
    lines.append("The worked example of the reference: a 2-2-1 network, sigmoid hidden and output units,")
    lines.append("one example, binary cross-entropy. Every value below is computed by nntop's engine (fp32).")
    lines.append("")
    lines.append("  X = \(short(x.storage))ᵀ   Y = 1")
    lines.append("  W1 = [\(short(Array(w1.row(0)))), \(short(Array(w1.row(1))))]   b1 = \(short(b1))ᵀ")
    lines.append("  W2 = [\(short(w2.storage))]               b2 = \(b2[0])")
    lines.append("")
    lines.append("Forward pass")
    compare("Z1 = W1·X + b1", z1, [0.43, 1.42], decimals: 2)
    compare("A1 = σ(Z1)", a1, [0.606, 0.805], decimals: 3)
    compare("Z2 = W2·A1 + b2", [z2], [1.244], decimals: 3, note: "it rounded A1 before multiplying")
    compare("Ŷ = σ(Z2)", [yHat], [0.776], decimals: 3)
    lines.append("Loss")
    compare("J = −[Y log Ŷ + (1−Y) log(1−Ŷ)]", [Float(loss)], [0.253], decimals: 3)
    lines.append("Backward pass")
    compare("∂J/∂Z2 = Ŷ − Y", [dZ2], [-0.224], decimals: 3)
    compare("∂J/∂W2 = ∂J/∂Z2 · A1ᵀ", g.weights[1].storage, [-0.136, -0.180], decimals: 3, note: "from its rounded −0.224 × 0.606")
    compare("∂J/∂b2 = ∂J/∂Z2", g.biases[1], [-0.224], decimals: 3)
    compare("W2ᵀ · ∂J/∂Z2", back, [-0.0672, -0.1568], decimals: 4, note: "from its rounded −0.224")
    compare("σ'(Z1) = A1 ⊙ (1 − A1)", dSigma, [0.239, 0.157], decimals: 3)
    compare("∂J/∂Z1 = (W2ᵀ ∂J/∂Z2) ⊙ σ'(Z1)", g.biases[0], [-0.0161, -0.0246], decimals: 4)
    compare("∂J/∂W1 = ∂J/∂Z1 · Xᵀ", g.weights[0].storage, [-0.0080, -0.0032, -0.0123, -0.0049], decimals: 4)
    compare("∂J/∂b1 = ∂J/∂Z1", g.biases[0], [-0.0161, -0.0246], decimals: 4)
    lines.append("Update (η = \(shortNumber(eta)))")
    var sgd = Optimizer(kind: .sgd, learningRate: eta)
    let ws = Workspace(network: net, capacity: 1)
    x.storage.withUnsafeBufferPointer { xb in
      y.storage.withUnsafeBufferPointer { yb in
        net.forward(xb.baseAddress!, batch: 1, workspace: ws)
        net.backward(input: xb.baseAddress!, targets: yb.baseAddress!, batch: 1, workspace: ws)
      }
    }
    sgd.step(&net, gradients: ws)
    row("W2 ← W2 − η ∂J/∂W2", matrix(net.layers[1].weights))
    row("b2 ← b2 − η ∂J/∂b2", vector(net.layers[1].bias))
    row("W1 ← W1 − η ∂J/∂W1", matrix(net.layers[0].weights))
    row("b1 ← b1 − η ∂J/∂b1", vector(net.layers[0].bias))
    let after = net.objective(x: x, y: y)
    row("J after the update", fixed(after, 6) + "  (was \(fixed(loss, 6)))")
    return lines.joined(separator: "\n")
  }

  func vector(_ v: [Float], decimals: Int = 6) -> String {
    v.count == 1 ? fixed(Double(v[0]), decimals) : "[" + v.map { fixed(Double($0), decimals) }.joined(separator: ", ") + "]"
  }

  /// Inputs as written in the reference: `[0.5, 0.2]`.
  func short(_ v: [Float]) -> String { "[" + v.map { "\($0)" }.joined(separator: ", ") + "]" }

  func matrix(_ m: Matrix) -> String {
    "[" + (0..<m.rows).map { vector(Array(m.row($0))) }.map { $0.hasPrefix("[") ? $0 : "[\($0)]" }.joined(separator: ", ") + "]"
  }
}
