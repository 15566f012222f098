/// What the verdicts need to know of a layer's activation, whatever the
/// source calls it: units that can die (ReLU, leaky ReLU, GELU…), units that
/// saturate (sigmoid, tanh), or neither.
public enum ActivationFamily: String, Sendable, Equatable {
  /// ReLU-like: a unit that is never positive is dead.
  case rectifier
  /// Sigmoid-like: a unit whose σ' is near 0 is saturated.
  case squashing
  case other

  /// The family of an activation by name, whichever source named it:
  /// nntop's (`relu`, `leaky-relu`, `sigmoid`…) or PyTorch's module classes
  /// lower-cased (`relu`, `leakyrelu`, `gelu`, `silu`, `elu`, `sigmoid`, `tanh`).
  public init(activationName name: String) {
    switch name.lowercased() {
    case "relu", "leaky-relu", "leakyrelu", "relu6", "gelu", "silu", "elu", "selu", "celu", "mish", "prelu", "rrelu": self = .rectifier
    case "sigmoid", "tanh", "hardtanh", "hardsigmoid", "logsigmoid", "softsign": self = .squashing
    default: self = .other
    }
  }
}
