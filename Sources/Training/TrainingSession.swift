import Datasets
import Foundation
import NeuralNet
import NumberFormat

/// How a session behaves at its edges.
public struct SessionOptions: Sendable {
  /// Epochs to train (in all, counting a loaded checkpoint's); nil: until stopped.
  public var epochs: Int?
  /// The dashboard keeps the session alive at the end and on divergence
  /// (paused, waiting for keys); headless runs end there.
  public var interactive = false
  /// Start paused (a loaded model opens paused in the dashboard).
  public var startPaused = false
  /// Seconds between snapshots.
  public var publishInterval = 0.04
  /// Where `s` and the end of the run save the model; nil: `s` picks a name, the end saves nothing.
  public var savePath: String?
  /// `--checkpoint-every`: save to `savePath` after every this many epochs.
  public var checkpointEvery: Int?
  /// The history to start from (a resumed run's, read from its log).
  public var history: History?
  /// `--reduce-lr-on-plateau`.
  public var plateau: PlateauScheduler?
  /// `--early-stop`.
  public var earlyStop: EarlyStopping?
  /// `--force`: saves may replace a file that is not an nntop checkpoint.
  public var force = false
  /// The checkpoint the run resumed (`--load`): training it on without
  /// saving is work `q` would drop, so the dashboard asks.
  public var loadedFrom: String?

  public init() {}
}

/// Runs a `Trainer` until it is done or told to stop: applies commands at
/// mini-batch boundaries, publishes snapshots, writes the run log, catches
/// divergence. The dashboard runs it on its own thread; headless mode calls
/// `run()` directly.
public final class TrainingSession {
  public let trainer: Trainer
  public let control: TrainingControl
  public let channel: SnapshotChannel?
  public let log: RunLog?
  public let options: SessionOptions
  /// Called after every epoch (headless mode prints it).
  public var onEpoch: ((EpochRecord) -> Void)?
  /// Polled before every step: SIGINT, SIGTERM.
  public var stopReason: () -> RunSummary.Ending? = { nil }
  /// The last epoch's record and the one with the best validation accuracy
  /// (only these are kept: memory stays flat however long the run).
  public private(set) var lastRecord: EpochRecord?
  public private(set) var bestRecord: EpochRecord?

  var snapshot: Snapshot
  var state: RunState = .running
  var pendingSteps = 0
  private var noticeCount = 0
  private var lastPublish = ContinuousClock.now
  private var lastField = ContinuousClock.now - .seconds(10)
  private var lastWeights = ContinuousClock.now - .seconds(10)
  /// Weights (the heatmap) and the decision field change slowly: they are
  /// refreshed at most this often while training runs, which keeps the
  /// terminal output — and so the dashboard's cost — down.
  static let slowRefresh = Duration.milliseconds(125)
  private var samplesAtPublish = 0
  private var timeAtPublish = 0.0
  private var samplesSeen = 0
  /// What `d` rolls back to after a divergence: the weights and optimiser
  /// state at an epoch's end (or the start) with the lowest loss so far,
  /// that loss measured on those very weights — the first batch after them,
  /// before its update. Weights that are merely finite can be ruined
  /// already; the best measured ones are not.
  var lastGood: (network: Network, optimizer: Optimizer, epoch: Int, loss: Double)?
  /// An epoch's end weights waiting for the next batch's loss to be judged.
  var candidate: (network: Network, optimizer: Optimizer, epoch: Int)?
  /// Whether the run trains past `options.epochs` (space after FINISHED).
  var openEnded = false
  private let fieldEvaluator: DecisionFieldEvaluator?
  /// Samples and weights for the log and TensorBoard.
  private let recorder: RunRecorder
  var plateau: PlateauScheduler?
  var earlyStop: EarlyStopping?
  private var stoppedEarly = false
  /// The step of the last successful save (or of the loaded checkpoint).
  var savedStep: Int

  public init(trainer: Trainer, info: RunInfo, control: TrainingControl, channel: SnapshotChannel?, log: RunLog?, tensorboard: TensorBoardWriter? = nil, options: SessionOptions) {
    self.trainer = trainer
    self.control = control
    self.channel = channel
    self.log = log
    self.options = options
    snapshot = Snapshot(info: info, layers: trainer.network.layers.count)
    if let history = options.history, history.gradientNorms.count == trainer.network.layers.count { snapshot.history = history }
    fieldEvaluator = channel != nil && trainer.network.inputWidth == 2 ? DecisionFieldEvaluator(points: info.points, encoding: trainer.data.encoding) : nil
    if options.startPaused { state = .paused }
    candidate = (trainer.network, trainer.optimizer, trainer.epoch)
    recorder = RunRecorder(log: log, tensorboard: tensorboard, trainer: trainer)
    plateau = options.plateau
    earlyStop = options.earlyStop
    savedStep = trainer.step
  }

  /// Trains until stopped; returns how the run ended. Writes the summary line
  /// and saves to `options.savePath` (if any) on the way out.
  @discardableResult
  public func run() -> RunSummary {
    var ending = RunSummary.Ending.completed
    recorder.start(trainer)
    publish()
    loop: while true {
      for command in control.take() {
        if apply(command) { ending = .quit; break loop }
      }
      if let failure = outputFailure {
        writeFailed(failure)
        ending = .writeFailed
        break
      }
      if let reason = stopReason() { ending = reason; break }
      if state != .running && pendingSteps == 0 {
        // Nothing changes while paused: no snapshots (the UI does not redraw)
        // until a command arrives; wake now and then only to see signals.
        for command in control.waitForCommands(timeout: 0.1) {
          if apply(command) { ending = .quit; break loop }
        }
        continue
      }
      let now = ContinuousClock.now
      let publishDue = channel != nil && now - lastPublish >= .seconds(options.publishInterval)
      let sampleDue = recorder.sampleDue(step: trainer.step, now: now)
      // A single step (n) is always measured: the panel shows what it did.
      let instrument = publishDue || sampleDue || pendingSteps > 0
      let (loss, record) = trainer.trainStep(instrument: instrument)
      // This step's loss (before its update) is the candidate weights' loss.
      if let c = candidate {
        if loss.isFinite, loss <= lastGood?.loss ?? .infinity { lastGood = (c.network, c.optimizer, c.epoch, loss) }
        candidate = nil
      }
      samplesSeen += min(trainer.config.batchSize, trainer.data.train.count)
      let x = Double(trainer.step)
      snapshot.history.loss.append(x: x, Float(loss))
      snapshot.history.metric.append(x: x, Float(trainer.lastBatchMetric))
      recorder.observe(step: trainer.step, loss: loss, metric: trainer.lastBatchMetric)
      if instrument { recordStatistics() }
      if sampleDue { recorder.sample(trainer, now: now) }
      if !loss.isFinite || (instrument && trainer.latestStatistics.contains { $0.nonFinite }) {
        diverged(loss: loss)
        if !options.interactive { ending = .diverged; break }
        continue
      }
      if pendingSteps > 0 {
        pendingSteps -= 1
        if pendingSteps == 0 { publish() }
      }
      if let record {
        finishEpoch(record)
        if stoppedEarly {
          stoppedEarly = false
          if !options.interactive {
            ending = .earlyStopped
            break
          }
          state = .finished
          publish()
        } else if let epochs = options.epochs, !openEnded, trainer.epoch >= epochs, state == .running {
          if !options.interactive { break }
          state = .finished
          notify("finished \(epochs) epochs: space trains on, q quits", .info)
          event("finished", [("epoch", .number(Double(trainer.epoch)))])
          publish()
        }
      }
      if publishDue { publish() }
    }
    state = .stopped
    recorder.finish(trainer)  // the last sample and weights; closes the event file
    var summary = RunSummary(last: lastRecord, best: bestRecord, epochs: trainer.epoch, steps: trainer.step, time: trainer.trainingTime, ending: ending)
    if let path = options.savePath { summary.saveError = save(to: path) }
    log?.write(summary.json)
    log?.close()
    if let failure = outputFailure {
      // Found only by the last writes (the summary, the final flush): said all the same.
      if summary.ending != .writeFailed { writeFailed(failure) }
      summary.ending = .writeFailed
      summary.writeFailure = failure
    }
    publish()
    return summary
  }

  // MARK: - Steps and epochs

  /// The first write to the run log or the event file that failed.
  private var outputFailure: String? { log?.failure ?? recorder.tensorboard?.failure }

  /// A write failed: training stops (the run ends, saving what it can); the
  /// dashboard shows why until the person quits.
  private func writeFailed(_ failure: String) {
    snapshot.failure = failure + ": training stopped, q quits"
    notify(failure, .error)
  }

  private func diverged(loss: Double) {
    let bad = trainer.latestStatistics.enumerated().first { $0.element.nonFinite }.map { "layer \($0.offset + 1)" }
    let what = loss.isFinite ? "\(bad ?? "a layer") has NaN or infinite values" : "the loss became \(loss.isNaN ? "NaN" : "infinite")"
    let message = "diverged at step \(trainer.step): \(what) (η = \(shortNumber(trainer.learningRate)))"
    state = .diverged
    pendingSteps = 0
    trainer.judgeDivergence(loss: loss)
    snapshot.divergence = message
    event("diverged", [("loss", .finite(loss)), ("lr", .finite(trainer.learningRate)), ("where", .string(bad ?? "loss"))])
    notify(message + (options.interactive ? ": r re-initialises, d rolls back with η ÷ 10" : ""), .error)
    publish()
  }

  private func finishEpoch(_ record: EpochRecord) {
    lastRecord = record
    candidate = (trainer.network, trainer.optimizer, record.epoch)
    if RunSummary.isBetter(record, than: bestRecord) { bestRecord = record }
    recorder.epoch(record)
    if let every = options.checkpointEvery, let path = options.savePath, record.epoch % every == 0 {
      save(to: path, automatic: true)
    }
    onEpoch?(record)
    let x = Double(record.step)
    if let v = record.validationLoss { snapshot.history.validationLoss.append(x: x, Float(v)) }
    if let v = record.validationAccuracy ?? record.validationRMSE { snapshot.history.validationMetric.append(x: x, Float(v)) }
    let monitored = record.validationLoss ?? record.loss
    if let reduced = plateau?.observe(monitored, rate: trainer.learningRate) {
      let old = trainer.learningRate
      trainer.learningRate = reduced
      event("reduce-lr", [("epoch", .number(Double(record.epoch))), ("from", .finite(old)), ("to", .finite(trainer.learningRate))])
      notify("plateau: η \(shortNumber(old)) → \(shortNumber(trainer.learningRate))", .info)
    }
    if earlyStop?.observe(monitored, epoch: record.epoch) == true, let stopper = earlyStop {
      stoppedEarly = true
      event("early-stop", [("epoch", .number(Double(record.epoch))), ("best_epoch", .number(Double(stopper.bestEpoch))), ("best_loss", .finite(stopper.best))])
      notify("early stop: no improvement for \(stopper.patience) epochs (best at epoch \(stopper.bestEpoch)): space trains on", .info)
      earlyStop?.rearm()
    }
  }

  private func recordStatistics() {
    let stats = trainer.latestStatistics
    for (l, s) in stats.enumerated() where l < snapshot.history.gradientNorms.count {
      snapshot.history.gradientNorms[l].append(x: Double(trainer.step), Float(s.gradientNorm))
    }
  }

  // MARK: - Publishing

  /// Writes an event to the log and, for the events charts mark, marks the history.
  func event(_ name: String, _ fields: [(String, JSON)] = []) {
    log?.write(.event(name, step: trainer.step, fields))
    if let label = History.markLabel(forEvent: name) { snapshot.history.mark(step: trainer.step, label) }
  }

  func notify(_ text: String, _ level: Notice.Level) {
    noticeCount += 1
    snapshot.notice = Notice(text: text, level: level, id: noticeCount)
  }

  /// Swaps a fresh snapshot into the channel (weights and the decision field at most every `slowRefresh`).
  func publish() {
    guard let channel else { return }
    let now = ContinuousClock.now
    let dt = trainer.trainingTime - timeAtPublish
    if dt > 0.005 {
      let rate = Double(samplesSeen - samplesAtPublish) / dt
      snapshot.samplesPerSecond = snapshot.samplesPerSecond == 0 ? rate : 0.7 * snapshot.samplesPerSecond + 0.3 * rate
      samplesAtPublish = samplesSeen
      timeAtPublish = trainer.trainingTime
    }
    lastPublish = now
    snapshot.state = state
    snapshot.step = trainer.step
    snapshot.epoch = trainer.epoch
    snapshot.epochProgress = trainer.epochProgress
    snapshot.learningRate = trainer.learningRate
    snapshot.batchSize = trainer.config.batchSize
    snapshot.trainingTime = trainer.trainingTime
    snapshot.layers = trainer.latestStatistics
    snapshot.health = trainer.latestHealth
    snapshot.unsavedWork = options.loadedFrom != nil && options.savePath == nil && trainer.step != savedStep
    if snapshot.weights.isEmpty || now - lastWeights >= Self.slowRefresh || state != .running {
      snapshot.weights = trainer.network.layers.map(\.weights)
      lastWeights = now
    }
    if let fieldEvaluator, snapshot.field == nil || now - lastField >= Self.slowRefresh || state != .running {
      snapshot.field = fieldEvaluator.field(of: trainer.network)
      lastField = now
    }
    channel.publish(snapshot)
  }
}

