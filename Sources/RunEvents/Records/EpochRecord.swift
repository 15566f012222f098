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
  /// The run-level verdict at this epoch, when the run overfits.
  public var overfitting: OverfittingVerdict?

  public init(
    epoch: Int, step: Int, time: Double, learningRate: Float, loss: Double, validationLoss: Double? = nil, accuracy: Double? = nil,
    validationAccuracy: Double? = nil, rmse: Double? = nil, validationRMSE: Double? = nil, samplesPerSecond: Double = 0,
    layers: [LayerStatistics] = [], health: [LayerHealth] = [], overfitting: OverfittingVerdict? = nil
  ) {
    self.epoch = epoch
    self.step = step
    self.time = time
    self.learningRate = learningRate
    self.loss = loss
    self.validationLoss = validationLoss
    self.accuracy = accuracy
    self.validationAccuracy = validationAccuracy
    self.rmse = rmse
    self.validationRMSE = validationRMSE
    self.samplesPerSecond = samplesPerSecond
    self.layers = layers
    self.health = health
    self.overfitting = overfitting
  }
}

extension EpochRecord {
  /// The validation curve's value: accuracy, or RMSE for regression.
  public var validationMetric: Double? { validationAccuracy ?? validationRMSE }

  /// `{"type":"epoch","epoch":E,"step":S,"loss":…,"val_loss":…,"acc":…,"layers":[…]}`.
  public var json: JSON {
    .object([
      ("type", .string("epoch")),
      ("epoch", .int(epoch)),
      ("step", .int(step)),
      ("time", .finite(time.rounded(toPlaces: 4))),
      ("lr", .finite(learningRate)),
      ("loss", .finite(loss)),
      ("val_loss", .finite(validationLoss)),
      ("acc", .finite(accuracy)),
      ("val_acc", .finite(validationAccuracy)),
      ("rmse", .finite(rmse)),
      ("val_rmse", .finite(validationRMSE)),
      ("samples_per_s", .finite(samplesPerSecond.rounded())),
      ("layers", LayerJSON.json(layers, health)),
    ] + (overfitting.map { [("overfitting", $0.json)] } ?? []))
  }

  /// Reads an `epoch` line; a missing loss or η reads as NaN.
  public init(json line: JSON) {
    let (stats, health) = LayerJSON.read(line["layers"])
    self.init(
      epoch: line["epoch"]?.intValue ?? 0, step: line["step"]?.intValue ?? 0, time: line["time"]?.doubleValue ?? 0,
      learningRate: Float(line["lr"]?.doubleValue ?? .nan), loss: line["loss"]?.doubleValue ?? .nan,
      validationLoss: line["val_loss"]?.doubleValue, accuracy: line["acc"]?.doubleValue, validationAccuracy: line["val_acc"]?.doubleValue,
      rmse: line["rmse"]?.doubleValue, validationRMSE: line["val_rmse"]?.doubleValue,
      samplesPerSecond: line["samples_per_s"]?.doubleValue ?? 0, layers: stats, health: health,
      overfitting: OverfittingVerdict(json: line["overfitting"]))
  }
}
