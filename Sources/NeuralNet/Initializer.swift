/// How a layer's weights start; biases start at zero.
///
/// - `xavier`: Glorot uniform, U(±√(6/(in+out))), for sigmoid, tanh, linear.
/// - `he`: N(0, 2/in), for ReLU and leaky ReLU.
/// - `uniform`: U(±1/√in).
/// - `normal`: N(0, 1), the naive choice that saturates and explodes deep
///   networks (kept so its effect can be seen).
/// - `auto`: He for ReLU-like activations, Xavier otherwise.
public enum Initializer: String, Sendable, CaseIterable, Codable {
  case auto
  case xavier
  case he
  case uniform
  case normal

  /// The concrete scheme for a layer with this activation.
  public func resolved(for activation: Activation) -> Initializer {
    guard self == .auto else { return self }
    return activation == .relu || activation == .leakyReLU ? .he : .xavier
  }

  /// A `(fanOut, fanIn)` weight matrix, every value times `gain`.
  public func weights(fanIn: Int, fanOut: Int, activation: Activation, gain: Float = 1, using rng: inout SeededGenerator) -> Matrix {
    var w = Matrix(rows: fanOut, cols: fanIn)
    let scheme = resolved(for: activation)
    for i in 0..<w.count {
      let v: Float
      switch scheme {
      case .xavier:
        let limit = (6 / Float(fanIn + fanOut)).squareRoot()
        v = rng.uniform(-limit, limit)
      case .he: v = rng.normal() * (2 / Float(fanIn)).squareRoot()
      case .uniform:
        let limit = 1 / Float(fanIn).squareRoot()
        v = rng.uniform(-limit, limit)
      case .normal, .auto: v = rng.normal()
      }
      w.storage[i] = v * gain
    }
    return w
  }
}
