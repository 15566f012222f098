/// What the verdicts need to know of a layer's activation, whatever the
/// source calls it: units that can die (ReLU, leaky ReLU, GELU…), units that
/// saturate (sigmoid, tanh), or neither.
public enum ActivationFamily: String, Sendable, Equatable {
  /// ReLU-like: a unit that is never positive is dead.
  case rectifier
  /// Sigmoid-like: a unit whose σ' is near 0 is saturated.
  case squashing
  case other
}
