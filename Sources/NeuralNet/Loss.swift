/// The cost J comparing predictions Ŷ with targets Y, averaged over the batch.
///
/// - `mse`: mean over all outputs and examples of (ŷ − y)².
/// - `bce`: binary cross-entropy −[y log ŷ + (1−y) log(1−ŷ)], summed over
///   outputs, averaged over examples (the reference's J for one output).
/// - `crossEntropy`: −Σₖ yₖ log ŷₖ, averaged over examples.
///
/// With the matching output (sigmoid+BCE, softmax+cross-entropy, linear+MSE)
/// the gradient with respect to the logits is fused into (Ŷ − Y)/d, as in the
/// reference; other pairings go through dJ/dŶ and the output's derivative.
public enum Loss: String, Sendable, CaseIterable, Codable {
  case mse
  case bce
  case crossEntropy = "cross-entropy"

  /// Whether this loss is defined on the output activation's range.
  public func isCompatible(with output: Activation) -> Bool {
    switch self {
    case .mse: Activation.outputChoices.contains(output)
    case .bce, .crossEntropy: output == .sigmoid || output == .softmax
    }
  }

  /// The mean loss of a batch. `z` are the logits and `a` the predictions,
  /// `y` the targets, all `(units, batch)`. Computed from the logits where that
  /// is stabler (log-sigmoid, log-softmax), vectorised across the batch, with
  /// partial sums in fp32 and the total in Double.
  public func value(
    output: Activation, logits z: UnsafePointer<Float>, predictions a: UnsafePointer<Float>,
    targets y: UnsafePointer<Float>, units: Int, batch: Int
  ) -> Double {
    typealias M = VectorMath
    let n = units * batch
    switch (self, output) {
    case (.mse, _):
      return M.sum(n) { i, l in
        let d = M.load(a + i, l) - M.load(y + i, l)
        return d * d
      } / Double(n)
    case (.bce, .sigmoid):
      // max(z, 0) − z·y + log(1 + e^−|z|)
      return M.sum(n) { i, l in
        let zi = M.load(z + i, l), yi = M.load(y + i, l)
        return zi.replacing(with: 0, where: zi .< 0) - zi * yi + M.log1pExpNegativeAbs(zi)
      } / Double(batch)
    case (.bce, _):
      let lo = Vec(repeating: 1e-7), hi = Vec(repeating: 1 - 1e-7)
      return M.sum(n) { i, l in
        var ai = M.load(a + i, l, fill: 0.5)
        ai = ai.replacing(with: lo, where: ai .< lo).replacing(with: hi, where: ai .> hi)
        let yi = M.load(y + i, l)
        return -(yi * M.log(ai) + (1 - yi) * M.log(1 - ai))
      } / Double(batch)
    case (.crossEntropy, .softmax):
      // −Σₖ yₖ (zₖ − max − log Σⱼ e^(zⱼ − max)), a vector of columns at a time.
      return M.sum(batch) { j, l in
        var m = M.load(z + j, l)
        for k in 1..<max(units, 1) {
          let v = M.load(z + k * batch + j, l)
          m = m.replacing(with: v, where: v .> m)
        }
        var s = Vec()
        for k in 0..<units { s += M.exp(M.load(z + k * batch + j, l) - m) }
        let logS = M.log(s)
        var column = Vec()
        for k in 0..<units {
          let yk = M.load(y + k * batch + j, l)
          column -= yk * (M.load(z + k * batch + j, l) - m - logS)
        }
        return column
      } / Double(batch)
    case (.crossEntropy, _):
      // log σ(z) = −(max(−z, 0) + log(1 + e^−|z|))
      return M.sum(n) { i, l in
        let zi = M.load(z + i, l), yi = M.load(y + i, l)
        let negative = -zi
        return yi * (negative.replacing(with: 0, where: negative .< 0) + M.log1pExpNegativeAbs(zi))
      } / Double(batch)
    }
  }

  /// Writes dJ/dZ for the output layer into `delta`, all `(units, batch)`.
  public func outputGradient(
    output: Activation, predictions a: UnsafePointer<Float>, targets y: UnsafePointer<Float>,
    delta: UnsafeMutablePointer<Float>, units: Int, batch: Int
  ) {
    let n = units * batch
    let invBatch = 1 / Float(batch)
    switch (self, output) {
    case (.bce, .sigmoid):
      for i in 0..<n { delta[i] = (a[i] - y[i]) * invBatch }
    case (.crossEntropy, .softmax):
      // dZ = (Ŷ·Σₖyₖ − Y)/d, which is (Ŷ − Y)/d for one-hot targets.
      for j in 0..<batch {
        var s: Float = 0
        for k in 0..<units { s += y[k * batch + j] }
        for k in 0..<units {
          let i = k * batch + j
          delta[i] = (a[i] * s - y[i]) * invBatch
        }
      }
    case (.mse, .linear):
      let scale = 2 / Float(n)
      for i in 0..<n { delta[i] = (a[i] - y[i]) * scale }
    default:
      // dJ/dŶ, then through the output activation.
      for i in 0..<n { delta[i] = predictionGradient(a[i], y[i], n: n, batch: batch) }
      switch output {
      case .softmax:
        // dZₖ = ŷₖ (gₖ − Σⱼ gⱼ ŷⱼ), per column.
        for j in 0..<batch {
          var dot: Float = 0
          for k in 0..<units { dot += delta[k * batch + j] * a[k * batch + j] }
          for k in 0..<units {
            let i = k * batch + j
            delta[i] = a[i] * (delta[i] - dot)
          }
        }
      default:
        output.multiplyDerivative(delta, activation: a, count: n)
      }
    }
  }

  /// dJ/dŷ for one element.
  @inline(__always)
  private func predictionGradient(_ a: Float, _ y: Float, n: Int, batch: Int) -> Float {
    switch self {
    case .mse: return 2 * (a - y) / Float(n)
    case .bce:
      let p = Float(Loss.clampProbability(Double(a)))
      return (p - y) / (p * (1 - p) * Float(batch))
    case .crossEntropy:
      return y == 0 ? 0 : -y / (Float(Loss.clampProbability(Double(a))) * Float(batch))
    }
  }

  /// Keeps log(ŷ) and log(1−ŷ) finite for probabilities computed in fp32.
  static func clampProbability(_ p: Double) -> Double { min(max(p, 1e-7), 1 - 1e-7) }
}
