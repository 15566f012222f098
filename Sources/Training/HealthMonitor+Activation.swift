import Diagnosis
import NeuralNet
import RunEvents

extension ActivationFamily {
  /// The built-in engine's activations, by family.
  public init(_ activation: Activation) {
    self.init(activationName: activation.rawValue)
  }
}

extension HealthMonitor {
  /// A monitor for a network of the built-in engine.
  public init(thresholds: HealthThresholds, activations: [Activation]) {
    self.init(thresholds: thresholds, families: activations.map(ActivationFamily.init), builtIn: true)
  }
}
