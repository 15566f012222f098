/// The update rule applied to every parameter after a backward pass.
public enum OptimizerKind: String, Sendable, CaseIterable, Codable {
  /// W ← W − η·∂J/∂W, as in the reference.
  case sgd
  /// v ← μ·v + ∂J/∂W; W ← W − η·v.
  case momentum
  /// Adam (Kingma & Ba) with bias-corrected moments.
  case adam
}

/// An optimiser and its per-parameter state (velocities or moments).
public struct Optimizer: Sendable {
  public var kind: OptimizerKind
  /// η; may change between steps (the dashboard's `+`/`-`).
  public var learningRate: Float
  public var momentum: Float = 0.9
  public var beta1: Float = 0.9
  public var beta2: Float = 0.999
  public var epsilon: Float = 1e-8
  /// Updates applied so far (Adam's bias correction uses it).
  public private(set) var steps: Int = 0
  /// First-moment (or velocity) and second-moment state, per parameter tensor:
  /// index 2l is layer l's W, 2l+1 its b. Empty for plain SGD.
  public var firstMoments: [[Float]] = []
  public var secondMoments: [[Float]] = []

  public init(kind: OptimizerKind, learningRate: Float) {
    self.kind = kind
    self.learningRate = learningRate
  }

  /// Forgets all state (after the weights are re-initialised).
  public mutating func reset() {
    steps = 0
    firstMoments = []
    secondMoments = []
  }

  /// Counts an update the engine applied itself (the fused SGD step).
  mutating func countStep() { steps += 1 }

  /// Restores state saved in a checkpoint.
  public mutating func restore(steps: Int, firstMoments: [[Float]], secondMoments: [[Float]]) {
    self.steps = steps
    self.firstMoments = firstMoments
    self.secondMoments = secondMoments
  }

  /// Applies one update from the workspace's gradients to `network`.
  /// - Parameter updateNorms: when given, receives ‖ΔW‖ of every layer.
  public mutating func step(_ network: inout Network, gradients ws: Workspace, updateNorms: UnsafeMutableBufferPointer<Double>? = nil) {
    if firstMoments.isEmpty && kind != .sgd {
      firstMoments = network.layers.flatMap { [Array(repeating: 0, count: $0.weights.count), Array(repeating: 0, count: $0.outputs)] }
      if kind == .adam { secondMoments = firstMoments }
    }
    steps += 1
    let eta = learningRate
    let correction1 = 1 - power(beta1, steps), correction2 = 1 - power(beta2, steps)
    for l in network.layers.indices {
      let norm = update(&network.layers[l].weights.storage, ws.weightGradients[l], slot: 2 * l, eta: eta, c1: correction1, c2: correction2, measure: updateNorms != nil)
      _ = update(&network.layers[l].bias, ws.biasGradients[l], slot: 2 * l + 1, eta: eta, c1: correction1, c2: correction2, measure: false)
      updateNorms?[l] = norm.squareRoot()
    }
  }

  /// Updates one tensor; returns ‖ΔW‖² when `measure`.
  @inline(__always)
  private mutating func update(_ param: inout [Float], _ grad: UnsafeMutablePointer<Float>, slot: Int, eta: Float, c1: Float, c2: Float, measure: Bool) -> Double {
    var sumSquares = 0.0
    let n = param.count
    param.withUnsafeMutableBufferPointer { p in
      switch kind {
      case .sgd:
        for i in 0..<n {
          let delta = eta * grad[i]
          p[i] -= delta
          if measure { sumSquares += Double(delta * delta) }
        }
      case .momentum:
        let mu = momentum
        firstMoments[slot].withUnsafeMutableBufferPointer { v in
          for i in 0..<n {
            v[i] = mu * v[i] + grad[i]
            let delta = eta * v[i]
            p[i] -= delta
            if measure { sumSquares += Double(delta * delta) }
          }
        }
      case .adam:
        let b1 = beta1, b2 = beta2, eps = epsilon
        firstMoments[slot].withUnsafeMutableBufferPointer { m in
          secondMoments[slot].withUnsafeMutableBufferPointer { v in
            for i in 0..<n {
              let g = grad[i]
              m[i] = b1 * m[i] + (1 - b1) * g
              v[i] = b2 * v[i] + (1 - b2) * g * g
              let delta = eta * (m[i] / c1) / ((v[i] / c2).squareRoot() + eps)
              p[i] -= delta
              if measure { sumSquares += Double(delta * delta) }
            }
          }
        }
      }
    }
    return sumSquares
  }
}

/// base^n by repeated squaring (the standard library has no `pow`).
@inline(__always)
func power(_ base: Float, _ n: Int) -> Float {
  var result: Float = 1, b = base, e = n
  while e > 0 {
    if e & 1 == 1 { result *= b }
    b *= b
    e >>= 1
  }
  return result
}
