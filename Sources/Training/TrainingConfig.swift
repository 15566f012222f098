import NeuralNet
import Diagnosis

/// The hyperparameters of a run, resolved from flags, preset and data set.
public struct TrainingConfig: Sendable {
  public var optimizer: OptimizerKind = .sgd
  /// η at the start; the dashboard may change it.
  public var learningRate: Float = 0.1
  public var momentum: Float = 0.9
  public var batchSize: Int = 32
  /// Epochs to run; nil runs until stopped.
  public var epochs: Int? = nil
  public var l2: Float = 0
  public var seed: UInt64 = 1
  public var thresholds = HealthThresholds()

  public init() {}
}
