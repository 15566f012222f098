import RunEvents
import NumberFormat

/// The run-level overfitting rule, judged once an epoch: the validation loss
/// has stayed at least `rise` above its best for at least `epochs` epochs in
/// a row, while the training loss is lower than it was at that best epoch
/// (it has fallen since: the model fits the training data better and the
/// held-out data worse). The training loss compared is the mean over the
/// risen epochs (the last `epochs` of them), so one noisy epoch neither makes
/// nor breaks the verdict. A source whose epoch line has no training loss
/// (TensorBoard, a CSV logger) is judged on the mean of its samples' losses
/// since the epoch before.
public struct OverfittingRule: Sendable {
  /// The least rise above the best validation loss, as a fraction (`--overfit-rise`).
  public var rise: Double
  /// Epochs in a row the validation loss must stay that high (`--overfit-epochs`).
  public var epochs: Int
  /// Whether the hint may name nntop's own flags (the built-in engine's run).
  public var builtIn: Bool

  private var best: (epoch: Int, step: Int, validation: Double, training: Double)?
  /// Training losses of the epochs since the rise began (at most `epochs`).
  private var recentTraining: [Double] = []
  private var risenSince: Int?
  /// The verdict after the last epoch that had a validation loss.
  private var verdict: OverfittingVerdict?
  private var sampleLoss = (sum: 0.0, count: 0)

  public init(rise: Double, epochs: Int, builtIn: Bool) {
    self.rise = rise
    self.epochs = max(epochs, 1)
    self.builtIn = builtIn
  }

  /// A sample's training losses (a bucket's sum and count), for an epoch
  /// line that lacks its own.
  public mutating func observe(lossSum: Double, count: Int) {
    guard lossSum.isFinite, count > 0 else { return }
    sampleLoss.sum += lossSum
    sampleLoss.count += count
  }

  /// The verdict on the run after `record`; nil when it is not overfitting.
  /// An epoch without a validation loss (a run that validates every few
  /// epochs) changes nothing: the verdict before it stands.
  public mutating func judge(_ record: EpochRecord) -> OverfittingVerdict? {
    let fromSamples = sampleLoss.count > 0 ? sampleLoss.sum / Double(sampleLoss.count) : .nan
    sampleLoss = (0, 0)
    let training = record.loss.isFinite ? record.loss : fromSamples
    guard let validation = record.validationLoss, validation.isFinite, training.isFinite else { return verdict }
    verdict = verdict(validation: validation, training: training, record)
    return verdict
  }

  private mutating func verdict(validation: Double, training: Double, _ record: EpochRecord) -> OverfittingVerdict? {
    guard let best, validation >= best.validation else {
      best = (record.epoch, record.step, validation, training)
      risenSince = nil
      recentTraining = []
      return nil
    }
    guard validation >= (1 + rise) * best.validation else {
      risenSince = nil
      recentTraining = []
      return nil
    }
    let since = risenSince ?? record.epoch
    risenSince = since
    recentTraining.append(training)
    if recentTraining.count > epochs { recentTraining.removeFirst() }
    let trainingNow = recentTraining.reduce(0, +) / Double(recentTraining.count)
    let risen = record.epoch - since + 1
    guard risen >= epochs, trainingNow < best.training else { return nil }
    let f = ChartFormat.compact
    let reason =
      "validation loss \(f(validation)) (training \(f(training))) is \(OverfittingVerdict.times(validation, best: best.validation))its best"
      + " \(f(best.validation)) (epoch \(best.epoch)) for \(counted(risen, "epoch")) while the training loss fell from \(f(best.training)) to \(f(trainingNow))"
    let hint =
      builtIn
      ? "try --l2 1e-3 to 1e-2, --early-stop 10, fewer units, or more data"
      : "add weight decay, stop early (at epoch \(best.epoch)), use a smaller model, or more data"
    return OverfittingVerdict(
      since: since, bestEpoch: best.epoch, bestStep: best.step, bestValidationLoss: best.validation, validationLoss: validation,
      trainingLoss: trainingNow, bestTrainingLoss: best.training, reason: reason, hint: hint)
  }
}
