import CKernels

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
    targets y: UnsafePointer<Float>, units: Int, batch: Int, kernels: KernelSet = .active
  ) -> Double {
    let kind: nntop_loss = switch (self, output) {
    case (.mse, _): NNTOP_LOSS_MSE
    case (.bce, .sigmoid): NNTOP_LOSS_BCE_SIGMOID
    case (.bce, _): NNTOP_LOSS_BCE
    case (.crossEntropy, .softmax): NNTOP_LOSS_CE_SOFTMAX
    case (.crossEntropy, _): NNTOP_LOSS_CE_SIGMOID
    }
    return kernels.loss(kind, logits: z, predictions: a, targets: y, units: units, batch: batch)
  }

  /// Writes dJ/dZ for the output layer into `delta`, all `(units, batch)`.
  public func outputGradient(
    output: Activation, predictions a: UnsafePointer<Float>, targets y: UnsafePointer<Float>,
    delta: UnsafeMutablePointer<Float>, units: Int, batch: Int, kernels: KernelSet = .active
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
        output.multiplyDerivative(delta, activation: a, count: n, kernels: kernels)
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
