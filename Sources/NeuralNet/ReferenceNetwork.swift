/// The network's objective computed naively in Double: plain loops, no GEMM
/// kernel, no vector math. It is the independent reference the gradient check
/// differentiates numerically (as `gemmNaive` is for the GEMM kernels).
struct ReferenceNetwork {
  var weights: [[Double]]  // per layer (out, in), row-major
  var biases: [[Double]]  // per layer (out)
  let shapes: [(outputs: Int, inputs: Int)]
  let activations: [Activation]
  let loss: Loss

  init(_ network: Network) {
    weights = network.layers.map { $0.weights.storage.map(Double.init) }
    biases = network.layers.map { $0.bias.map(Double.init) }
    shapes = network.layers.map { ($0.outputs, $0.inputs) }
    activations = network.layers.map(\.activation)
    loss = network.loss
  }

  /// J = loss + (λ/2)·Σ‖W‖² on inputs `x` `(in, n)` and targets `y` `(out, n)`.
  func objective(x: Matrix, y: Matrix, l2: Double) -> Double {
    var total = 0.0
    for j in 0..<x.cols {
      var a = x.column(j).map(Double.init)
      var z: [Double] = []
      for l in weights.indices {
        let (outputs, inputs) = shapes[l]
        z = (0..<outputs).map { r in
          (0..<inputs).reduce(biases[l][r]) { $0 + weights[l][r * inputs + $1] * a[$1] }
        }
        a = Self.activate(z, activations[l])
      }
      total += exampleLoss(z: z, a: a, y: y.column(j).map(Double.init))
    }
    let n = Double(x.cols)
    let penalty = weights.reduce(0.0) { acc, w in acc + w.reduce(0.0) { $0 + $1 * $1 } }
    return (loss == .mse ? total / (n * Double(y.rows)) : total / n) + 0.5 * l2 * penalty
  }

  static func activate(_ z: [Double], _ activation: Activation) -> [Double] {
    switch activation {
    case .sigmoid: return z.map { 1 / (1 + ScalarMath.exp(-$0)) }
    case .tanh:
      return z.map { v in
        let e = ScalarMath.exp(-2 * abs(v))
        return (v < 0 ? -1 : 1) * (1 - e) / (1 + e)
      }
    case .relu: return z.map { max($0, 0) }
    case .leakyReLU: return z.map { $0 < 0 ? Double(Activation.leakySlope) * $0 : $0 }
    case .linear: return z
    case .softmax:
      let m = z.max() ?? 0
      let e = z.map { ScalarMath.exp($0 - m) }
      let s = e.reduce(0, +)
      return e.map { $0 / s }
    }
  }

  /// One example's loss (summed over outputs; MSE is averaged by the caller).
  func exampleLoss(z: [Double], a: [Double], y: [Double]) -> Double {
    var sum = 0.0
    for k in y.indices {
      switch loss {
      case .mse: sum += (a[k] - y[k]) * (a[k] - y[k])
      case .bce:
        let p = Loss.clampProbability(a[k])
        sum -= y[k] * ScalarMath.log(p) + (1 - y[k]) * ScalarMath.log(1 - p)
      case .crossEntropy:
        if y[k] != 0 { sum -= y[k] * ScalarMath.log(a[k]) }
      }
    }
    return sum
  }
}
