import Interop
import Foundation
import NeuralNet
import RunEvents

/// What a session records while it trains, for `nntop replay`, `nntop plot`
/// and TensorBoard: `sample` lines of the curves and layer statistics,
/// `weights` lines, and the same as TensorBoard scalars and histograms.
///
/// Samples aggregate the steps since the one before: every 250 ms, and more
/// often early in a run — every max(16, step/64) steps — so a run of seconds
/// replays as finely as one of hours (a million steps take about 500 lines).
/// Weights come every second for small networks, less often for large ones
/// (a millisecond per thousand parameters, at most a minute, which keeps the
/// log under about 10 kB a second), and at doubling step counts (16, 32,
/// 64…) so a run's first moments are in the log.
///
/// Epoch records: every epoch up to the 1,000th, then every 2nd, every 4th
/// from the 2,000th, and so on — about 500 a doubling — so a dashboard left
/// running on a data set that trains 10,000 epochs a second writes megabytes
/// an hour, not gigabytes. The last epoch is always recorded.
final class RunRecorder {
  static let sampleInterval = Duration.milliseconds(250)

  let log: RunLog?
  let tensorboard: TensorBoardWriter?
  private let weightsInterval: Duration
  private let isClassification: Bool
  private var lastSample = (time: ContinuousClock.now, step: 0)
  private var lastWeights = (time: ContinuousClock.now, step: 0)
  private var pendingLoss: Series.Bucket?
  private var pendingMetric: Series.Bucket?
  /// The latest epoch not recorded (thinned out), recorded if it is the last.
  private var skippedEpoch: EpochRecord?

  init(log: RunLog?, tensorboard: TensorBoardWriter?, trainer: Trainer) {
    self.log = log
    self.tensorboard = tensorboard
    weightsInterval = .seconds(min(max(1, Double(trainer.network.parameterCount) / 1000), 60))
    isClassification = trainer.data.encoding.isClassification
  }

  var isRecording: Bool { log != nil || tensorboard != nil }

  /// Whether the coming step (the trainer's `step` + 1) should be sampled:
  /// the session instruments it so its statistics are fresh.
  func sampleDue(step: Int, now: ContinuousClock.Instant) -> Bool {
    isRecording && (now - lastSample.time >= Self.sampleInterval || step + 1 - lastSample.step >= max(16, step / 64))
  }

  /// The weights as training starts.
  func start(_ trainer: Trainer) {
    writeWeights(trainer)
  }

  /// Adds one step's loss and metric to the next sample.
  func observe(step: Int, loss: Double, metric: Double) {
    let x = Double(step)
    if loss.isFinite { Self.accumulate(&pendingLoss, Series.Bucket(x: x, Float(loss))) }
    if metric.isFinite { Self.accumulate(&pendingMetric, Series.Bucket(x: x, Float(metric))) }
  }

  /// Writes the sample for the steps since the last one, and weights when due.
  func sample(_ trainer: Trainer, now: ContinuousClock.Instant = .now) {
    lastSample = (now, trainer.step)
    guard let loss = pendingLoss else { return }
    let metric = pendingMetric ?? loss
    log?.write(
      .sample(
        RunSample(
          step: trainer.step, epoch: trainer.epoch, epochProgress: trainer.epochProgress, time: trainer.trainingTime,
          learningRate: trainer.learningRate, loss: loss, metric: metric, layers: trainer.latestStatistics, health: trainer.latestHealth)))
    if let tensorboard {
      var scalars: [(tag: String, value: Double)] = [
        ("loss/train", Double(loss.mean)),
        (isClassification ? "accuracy/train" : "rmse/train", Double(metric.mean)),
        ("learning_rate", Double(trainer.learningRate)),
      ]
      for (l, s) in trainer.latestStatistics.enumerated() {
        scalars.append(("grad_norm/W\(l + 1)", s.gradientNorm))
        scalars.append(("update_ratio/W\(l + 1)", s.updateRatio))
      }
      tensorboard.scalars(scalars, step: trainer.step)
    }
    pendingLoss = nil
    pendingMetric = nil
    if now - lastWeights.time >= weightsInterval || trainer.step >= 2 * max(lastWeights.step, 8) {
      writeWeights(trainer, now: now)
    }
  }

  /// Whether epoch `n`'s record is written (see the type's comment).
  static func recordsEpoch(_ n: Int) -> Bool {
    guard n > 1000 else { return true }
    let stride = 1 << (Int.bitWidth - 1 - (n / 500).leadingZeroBitCount)  // the largest power of 2 ≤ n/500
    return n % stride == 0
  }

  /// An epoch's `epoch` line and validation scalars, unless thinned out.
  func epoch(_ record: EpochRecord) {
    guard Self.recordsEpoch(record.epoch) else {
      skippedEpoch = record
      return
    }
    skippedEpoch = nil
    write(record)
  }

  private func write(_ record: EpochRecord) {
    log?.write(.epoch(record))
    tensorboard?.scalars(
      [
        ("loss/validation", record.validationLoss ?? .nan),
        (isClassification ? "accuracy/validation" : "rmse/validation", (isClassification ? record.validationAccuracy : record.validationRMSE) ?? .nan),
      ], step: record.step)
  }

  /// The last sample and the final weights, as the run ends; closes the event file.
  func finish(_ trainer: Trainer) {
    if let skippedEpoch { write(skippedEpoch) }
    sample(trainer)
    if lastWeights.step != trainer.step { writeWeights(trainer) }
    tensorboard?.close()
  }

  private func writeWeights(_ trainer: Trainer, now: ContinuousClock.Instant = .now) {
    lastWeights = (now, trainer.step)
    log?.write(.weights(WeightsRecord(step: trainer.step, trainer.network)))
    guard let tensorboard else { return }
    for (l, layer) in trainer.network.layers.enumerated() {
      layer.weights.storage.withUnsafeBufferPointer { tensorboard.histogram("weights/W\(l + 1)", $0, step: trainer.step) }
      if trainer.step > 0 { tensorboard.histogram("gradients/W\(l + 1)", trainer.weightGradient(layer: l), step: trainer.step) }
    }
  }

  private static func accumulate(_ bucket: inout Series.Bucket?, _ value: Series.Bucket) {
    if bucket == nil { bucket = value } else { bucket!.absorb(value) }
  }
}
