import Diagnosis
import RunEvents
import Testing

/// The run-level rule on hand-made epochs whose answer is known by
/// counting: the validation loss at least 20 % above its best for 10 epochs
/// in a row while the training loss is below its value at the best epoch.
struct OverfittingTests {
  func epoch(_ n: Int, train: Double, val: Double) -> EpochRecord {
    EpochRecord(epoch: n, step: 10 * n, time: Double(n), learningRate: 0.1, loss: train, validationLoss: val)
  }

  /// Best 0.5 at epoch 4; 0.55 (10 % up) is no rise; from epoch 6 on, 0.61
  /// and more (over 0.6): the tenth such epoch, 15, is the first verdict.
  static let validation = [1.0, 0.8, 0.6, 0.5, 0.55] + Array(repeating: 0.61, count: 8) + [0.7, 0.75, 0.8]

  @Test func firesOnTheTenthRisenEpochWithTheNumbers() throws {
    var monitor = HealthMonitor(thresholds: HealthThresholds(), families: [.rectifier, .other], builtIn: true)
    var verdicts: [OverfittingVerdict?] = []
    for (i, val) in Self.validation.enumerated() {
      verdicts.append(monitor.judge(epoch(i + 1, train: 1.0 / Double(i + 1), val: val)).overfitting)
    }
    #expect(verdicts.prefix(14).allSatisfy { $0 == nil }, "\(verdicts.prefix(14))")
    let first = try #require(verdicts[14])
    #expect(first.since == 6 && first.bestEpoch == 4 && first.bestStep == 40 && first.bestValidationLoss == 0.5 && first.validationLoss == 0.75)
    // The training loss now is the mean over the ten risen epochs (6…15), 1/6 … 1/15.
    let mean = (6...15).map { 1.0 / Double($0) }.reduce(0, +) / 10
    #expect(abs(first.trainingLoss - mean) < 1e-12 && first.bestTrainingLoss == 0.25)
    #expect(first.reason == "validation loss 0.750 (training 0.067) is 1.5× its best 0.500 (epoch 4) for 10 epochs while the training loss fell from 0.250 to 0.103")
    #expect(first.hint.contains("--l2") && first.hint.contains("--early-stop"))
    #expect(verdicts[15]?.since == 6 && verdicts[15]?.reason.contains("for 11 epochs") == true)
  }

  /// A run that validates every few epochs: an epoch without a validation
  /// loss leaves the verdict as it was (no banner flashing off and on).
  @Test func anEpochWithoutValidationKeepsTheVerdict() {
    var monitor = HealthMonitor(thresholds: HealthThresholds(), families: [.other])
    var last: OverfittingVerdict?
    for (i, val) in Self.validation.enumerated() { last = monitor.judge(epoch(i + 1, train: 1.0 / Double(i + 1), val: val)).overfitting }
    #expect(last != nil)
    let unmeasured = EpochRecord(epoch: 17, step: 170, time: 17, learningRate: 0.1, loss: 0.05)
    #expect(monitor.judge(unmeasured).overfitting == last)
    var fresh = HealthMonitor(thresholds: HealthThresholds(), families: [.other])
    #expect(fresh.judge(unmeasured).overfitting == nil)
  }

  @Test func theThresholdsAreTheFlags() {
    var t = HealthThresholds()
    t.overfitRise = 0.05
    t.overfitEpochs = 2
    var monitor = HealthMonitor(thresholds: t, families: [.other])
    let verdicts = [(0.5, 0.5), (0.4, 0.53), (0.3, 0.53)].enumerated().map { i, p in monitor.judge(epoch(i + 1, train: p.0, val: p.1)).overfitting }
    #expect(verdicts[0] == nil && verdicts[1] == nil && verdicts[2]?.since == 2)
    #expect(verdicts[2]?.hint.contains("--l2") == false, "a watched run's hint names no nntop flags")
  }

  /// Both losses climbing is not overfitting (the run is going wrong some
  /// other way); a fall back under the line, or a new best, ends the verdict.
  @Test func notWhileTheTrainingLossRisesAndNotOnceValidationComesBack() {
    var monitor = HealthMonitor(thresholds: HealthThresholds(), families: [.other])
    for (i, val) in Self.validation.enumerated() {
      #expect(monitor.judge(epoch(i + 1, train: 0.25 + Double(i), val: val)).overfitting == nil)
    }
    var again = HealthMonitor(thresholds: HealthThresholds(), families: [.other])
    for (i, val) in Self.validation.enumerated() { _ = again.judge(epoch(i + 1, train: 1.0 / Double(i + 1), val: val)) }
    #expect(again.judge(epoch(17, train: 0.05, val: 0.9)).overfitting != nil)
    #expect(again.judge(epoch(18, train: 0.05, val: 0.58)).overfitting == nil, "back within 20 % of the best")
    #expect(again.judge(epoch(19, train: 0.05, val: 0.9)).overfitting == nil, "a new rise counts from 1 again")
  }

  /// TensorBoard and CSV loggers log no training loss per epoch: the samples'
  /// losses since the epoch before stand in for it.
  @Test func aSourceWithoutAnEpochLossIsJudgedOnItsSamples() {
    var monitor = HealthMonitor(thresholds: HealthThresholds(), families: [.other])
    var last: OverfittingVerdict?
    for (i, val) in Self.validation.enumerated() {
      for s in 0..<4 {
        let loss = Float(1.0 / Double(i + 1)) * (s % 2 == 0 ? 0.5 : 1.5)  // mean 1/(i+1)
        _ = monitor.judge(RunSample(step: 10 * i + s, epoch: i, epochProgress: 0, time: 0, learningRate: 0.1, loss: Series.Bucket(x: 0, loss), metric: Series.Bucket(x: 0, 0)))
      }
      last = monitor.judge(epoch(i + 1, train: .nan, val: val)).overfitting
    }
    #expect(last?.since == 6 && last.map { abs($0.bestTrainingLoss - 0.25) < 1e-6 } == true)
  }
}
