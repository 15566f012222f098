/// The outcome of comparing backpropagation with central finite differences.
public struct GradientCheckResult: Sendable, CustomStringConvertible {
  /// Parameters compared.
  public var count = 0
  /// Largest |analytic − numeric| and where it was.
  public var maxAbsoluteDifference = 0.0
  public var worstParameter = ""
  public var worstAnalytic = 0.0
  public var worstNumeric = 0.0
  /// Largest |analytic − numeric| / max(|analytic|, |numeric|, floor).
  public var maxRelativeDifference = 0.0

  public var description: String {
    "\(count) parameters: max |Δ| \(maxAbsoluteDifference) at \(worstParameter) (analytic \(worstAnalytic), numeric \(worstNumeric)), max relative \(maxRelativeDifference)"
  }
}

/// Checks every ∂J/∂W and ∂J/∂b that backpropagation gives for `network` on
/// `(x, y)` against the central difference (J(θ+h) − J(θ−h)) / 2h, where J
/// (loss plus L2 penalty) is evaluated in Double by `ReferenceNetwork`, an
/// independent naive forward pass.
///
/// - Parameters:
///   - step: h; Double arithmetic keeps the difference exact to ~1e-10.
///   - relativeFloor: gradients smaller than this are compared absolutely.
///   - kernels: the kernel set backpropagation runs on.
public func gradientCheck(
  _ network: Network, x: Matrix, y: Matrix, l2: Float = 0, step h: Double = 1e-6, relativeFloor: Double = 1e-4,
  kernels: KernelSet = .active
) -> GradientCheckResult {
  let analytic = network.lossAndGradients(x: x, y: y, l2: l2, kernels: kernels).gradients
  var result = GradientCheckResult()
  var probe = ReferenceNetwork(network)
  func compare(_ a: Double, _ n: Double, _ name: String) {
    let diff = abs(a - n)
    result.count += 1
    result.maxRelativeDifference = max(result.maxRelativeDifference, diff / max(abs(a), abs(n), relativeFloor))
    if diff > result.maxAbsoluteDifference || result.worstParameter.isEmpty {
      result.maxAbsoluteDifference = diff
      result.worstParameter = name
      result.worstAnalytic = a
      result.worstNumeric = n
    }
  }
  func numeric(_ parameter: WritableKeyPath<ReferenceNetwork, Double>) -> Double {
    let original = probe[keyPath: parameter]
    probe[keyPath: parameter] = original + h
    let plus = probe.objective(x: x, y: y, l2: Double(l2))
    probe[keyPath: parameter] = original - h
    let minus = probe.objective(x: x, y: y, l2: Double(l2))
    probe[keyPath: parameter] = original
    return (plus - minus) / (2 * h)
  }
  for l in network.layers.indices {
    let cols = network.layers[l].inputs
    for i in 0..<network.layers[l].weights.count {
      compare(Double(analytic.weights[l].storage[i]), numeric(\.weights[l][i]), "W\(l + 1)[\(i / cols), \(i % cols)]")
    }
    for i in 0..<network.layers[l].outputs {
      compare(Double(analytic.biases[l][i]), numeric(\.biases[l][i]), "b\(l + 1)[\(i)]")
    }
  }
  return result
}
