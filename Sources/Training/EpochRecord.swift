import Diagnosis
import RunEvents
/// What one epoch achieved: the run log's `epoch` line and the headless output.
public struct EpochRecord: Sendable, Equatable {
  /// Epochs completed, from 1.
  public var epoch: Int
  /// Mini-batch steps completed.
  public var step: Int
  /// Seconds of training so far (pauses excluded).
  public var time: Double
  public var learningRate: Float
  /// Mean training loss over the epoch's batches.
  public var loss: Double
  public var validationLoss: Double?
  /// Training accuracy over the epoch's batches (classification).
  public var accuracy: Double?
  public var validationAccuracy: Double?
  /// Root-mean-square error in the target's units (regression).
  public var rmse: Double?
  public var validationRMSE: Double?
  public var samplesPerSecond: Double
  public var layers: [LayerStatistics]
  public var health: [LayerHealth]
}

/// Loss and metric of the network on a set of examples.
public struct Evaluation: Sendable, Equatable {
  public var loss: Double
  public var accuracy: Double?
  public var rmse: Double?
  public var count: Int
}
