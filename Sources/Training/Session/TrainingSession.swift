import Interop
import Datasets
import Foundation
import NeuralNet
import NumberFormat
import RunEvents

/// How a session ended: the summary, and what could not be written.
public struct SessionEnd: Sendable {
  public var summary: RunSummary
  /// Why the save at the end of the run failed, if it did.
  public var saveError: OutputError?
  /// The write that failed and ended the run (`.writeFailed`).
  public var writeFailure: String?
}

/// Runs a `Trainer` until it is done or told to stop: applies commands at
/// mini-batch boundaries (decided by `SessionMachine`, carried out in
/// TrainingSession+Effects.swift), emits the run's events to the log and to
/// its view (the one reducer), publishes the view, catches divergence. The
/// dashboard runs it on its own thread; headless mode calls `run()` directly.
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

  /// What the dashboard draws, folded from the events this session emits.
  var view: RunView
  var machine: SessionMachine
  private var lastPublish = ContinuousClock.now
  private var lastField = ContinuousClock.now - .seconds(10)
  private var lastWeights = ContinuousClock.now - .seconds(10)
  /// Weights (the heatmap) and the decision field change slowly: they are
  /// refreshed at most this often while training runs, which keeps the
  /// terminal output — and so the dashboard's cost — down.
  static let slowRefresh = Duration.milliseconds(125)
  /// What `d` rolls back to after a divergence: the weights and optimiser
  /// state at an epoch's end (or the start) with the lowest loss so far,
  /// that loss measured on those very weights — the first batch after them,
  /// before its update. Weights that are merely finite can be ruined
  /// already; the best measured ones are not.
  var lastGood: (network: Network, optimizer: Optimizer, epoch: Int, loss: Double)? {
    didSet { machine.canRollBack = lastGood != nil }
  }
  /// Whether the last epoch was judged overfitting (a new verdict is an event).
  var overfitting = false
  /// Where the pace is counted from: the step and time it was last set, and
  /// the rate it was set for (nil while paused or at full speed).
  private var paceAnchor: (step: Int, time: ContinuousClock.Instant, rate: Double)?
  /// An epoch's end weights waiting for the next batch's loss to be judged.
  var candidate: (network: Network, optimizer: Optimizer, epoch: Int)?
  private let fieldEvaluator: DecisionFieldEvaluator?
  /// Samples and weights for the log and TensorBoard.
  private let recorder: RunRecorder
  var plateau: PlateauScheduler?
  var earlyStop: EarlyStopping?
  /// The step of the last successful save (or of the loaded checkpoint).
  var savedStep: Int

  public init(trainer: Trainer, info: RunInfo, control: TrainingControl, channel: SnapshotChannel?, log: RunLog?, tensorboard: TensorBoardWriter? = nil, options: SessionOptions) {
    self.trainer = trainer
    self.control = control
    self.channel = channel
    self.log = log
    self.options = options
    view = RunView(info: info)
    view.batchSize = trainer.config.batchSize
    if let history = options.history, history.gradientNorms.count == trainer.network.layers.count { view.history = history }
    fieldEvaluator = channel != nil && trainer.network.inputWidth == 2 ? DecisionFieldEvaluator(points: info.points, encoding: trainer.data.encoding) : nil
    machine = SessionMachine(state: options.startPaused ? .paused : .running)
    machine.pace = options.pace
    view.pace = options.pace
    candidate = (trainer.network, trainer.optimizer, trainer.epoch)
    recorder = RunRecorder(log: log, tensorboard: tensorboard, trainer: trainer)
    plateau = options.plateau
    earlyStop = options.earlyStop
    savedStep = trainer.step
  }

  /// Trains until stopped; returns how the run ended. Writes the summary line
  /// and saves to `options.savePath` (if any) on the way out.
  @discardableResult
  public func run() -> SessionEnd {
    var ending = RunSummary.Ending.completed
    // This thread trains until the run ends, then is as it was (a caller's thread, in tests).
    let floatMode = KernelSet.flushSubnormals()
    defer { KernelSet.restoreFloatMode(floatMode) }
    recorder.start(trainer)
    // The pace the run opens at, when it is not full speed (later changes are events too).
    if let rate = machine.pace.stepsPerSecond { emit(.pace(from: nil, to: rate)) }
    publish()
    loop: while true {
      if apply(control.take()) { ending = .quit; break }
      if let failure = outputFailure {
        writeFailed(failure)
        ending = .writeFailed
        break
      }
      if let reason = stopReason() { ending = reason; break }
      guard machine.trains else {
        // Nothing changes while paused: no snapshots (the UI does not redraw)
        // until a command arrives; wake now and then only to see signals.
        paceAnchor = nil
        if apply(control.waitForCommands(timeout: 0.1)) { ending = .quit; break }
        continue
      }
      if let wait = paceWait() {
        // Ahead of the pace: wait for the next step's time, or a command.
        let started = ContinuousClock.now, stoppedBefore = ProcessStops.shared.stoppedSeconds
        let commands = control.waitForCommands(timeout: min(wait, 0.1))
        trainer.paced(seconds: (ContinuousClock.now - started).seconds - (ProcessStops.shared.stoppedSeconds - stoppedBefore))
        if apply(commands) { ending = .quit; break }
        continue
      }
      if let end = trainOneStep() { ending = end; break loop }
    }
    return finish(ending)
  }

  /// Applies commands in order; true when one asks to stop.
  private func apply(_ commands: [ControlCommand]) -> Bool {
    for command in commands where perform(machine.update(command, learningRate: trainer.learningRate)) { return true }
    return false
  }

  /// Seconds until the next step is due at the pace, nil when it is due now
  /// (or the pace is full speed, or single steps are asked for). A run up to
  /// 250 ms behind its pace catches up; one further behind (a step slower
  /// than the pace) starts counting again from where it is, not in a burst.
  private func paceWait() -> Double? {
    guard let rate = machine.pace.stepsPerSecond, machine.pendingSteps == 0 else {
      paceAnchor = nil
      return nil
    }
    let now = ContinuousClock.now
    guard let anchor = paceAnchor, anchor.rate == rate else {
      paceAnchor = (trainer.step, now, rate)
      return nil
    }
    let due = anchor.time + .seconds(Double(trainer.step - anchor.step) / rate)
    if due > now { return (due - now).seconds }
    if now - due > .milliseconds(250) { paceAnchor = (trainer.step, now, rate) }
    return nil
  }

  /// One mini-batch and what follows from it; how the run ends, if it does.
  private func trainOneStep() -> RunSummary.Ending? {
    let now = ContinuousClock.now
    let publishDue = channel != nil && now - lastPublish >= .seconds(options.publishInterval)
    let sampleDue = recorder.sampleDue(step: trainer.step, now: now)
    // A single step (n) is always measured: the panel shows what it did.
    let instrument = publishDue || sampleDue || machine.pendingSteps > 0
    let (loss, record) = trainer.trainStep(instrument: instrument)
    // This step's loss (before its update) is the candidate weights' loss.
    if let c = candidate {
      if loss.isFinite, loss <= lastGood?.loss ?? .infinity { lastGood = (c.network, c.optimizer, c.epoch, loss) }
      candidate = nil
    }
    let metric = trainer.lastBatchMetric
    let x = Double(trainer.step)
    view.apply(
      .sample(
        RunSample(
          step: trainer.step, epoch: trainer.epoch, epochProgress: trainer.epochProgress, time: trainer.trainingTime,
          learningRate: trainer.learningRate, loss: Series.Bucket(x: x, Float(loss)), metric: Series.Bucket(x: x, Float(metric)),
          layers: instrument ? trainer.latestStatistics : [], health: instrument ? trainer.latestHealth : [])))
    recorder.observe(step: trainer.step, loss: loss, metric: metric)
    if sampleDue { recorder.sample(trainer, now: now) }
    if !loss.isFinite || (instrument && trainer.latestStatistics.contains { $0.nonFinite }) {
      diverged(loss: loss)
      return options.interactive ? nil : .diverged
    }
    if machine.stepDone() { publish() }
    if let record, let end = finishEpoch(record) { return end }
    if publishDue { publish() }
    return nil
  }

  /// The last sample, the final checkpoint and the summary.
  private func finish(_ ending: RunSummary.Ending) -> SessionEnd {
    machine.state = .stopped
    recorder.finish(trainer)  // the last sample and weights; closes the event file
    let summary = RunSummary(last: lastRecord, best: bestRecord, epochs: trainer.epoch, steps: trainer.step, time: trainer.trainingTime, ending: ending)
    var end = SessionEnd(summary: summary)
    if let path = options.savePath { end.saveError = save(to: path) }
    log?.write(.summary(summary))
    log?.close()
    if let failure = outputFailure {
      // Found only by the last writes (the summary, the final flush): said all the same.
      if ending != .writeFailed { writeFailed(failure) }
      end.summary.ending = .writeFailed
      end.writeFailure = failure
    }
    publish()
    return end
  }

  // MARK: - Steps and epochs

  /// The first write to the run log or the event file that failed.
  private var outputFailure: String? { log?.failure ?? recorder.tensorboard?.failure }

  /// A write failed: training stops (the run ends, saving what it can); the
  /// dashboard shows why until the person quits.
  private func writeFailed(_ failure: String) {
    view.failure = failure + ": training stopped, q quits"
    view.notify(failure, .error)
  }

  private func diverged(loss: Double) {
    let bad = trainer.latestStatistics.enumerated().first { $0.element.nonFinite }.map { "layer \($0.offset + 1)" }
    machine.diverge()
    trainer.judgeDivergence(loss: loss)
    emit(.diverged(loss: loss, learningRate: trainer.learningRate, at: bad ?? "loss"))
    if options.interactive, let message = view.divergence { view.notify(message + ": r re-initialises, d rolls back with η ÷ 10", .error) }
    publish()
  }

  /// An epoch ended: records, checkpoints, the plateau and early-stop rules,
  /// the epoch goal. How the run ends, if it does.
  private func finishEpoch(_ record: EpochRecord) -> RunSummary.Ending? {
    if let o = record.overfitting, !overfitting {
      emit(.overfitting(since: o.since, bestEpoch: o.bestEpoch, bestLoss: o.bestValidationLoss, validationLoss: o.validationLoss))
    }
    overfitting = record.overfitting != nil
    lastRecord = record
    candidate = (trainer.network, trainer.optimizer, record.epoch)
    if RunSummary.isBetter(record, than: bestRecord) { bestRecord = record }
    recorder.epoch(record)
    view.apply(.epoch(record))
    if let every = options.checkpointEvery, let path = options.savePath, record.epoch % every == 0 {
      save(to: path, automatic: true)
    }
    onEpoch?(record)
    let monitored = record.validationLoss ?? record.loss
    if let reduced = plateau?.observe(monitored, rate: trainer.learningRate) {
      let old = trainer.learningRate
      trainer.learningRate = reduced
      emit(.reducedLearningRate(epoch: record.epoch, from: old, to: trainer.learningRate))
    }
    if earlyStop?.observe(monitored, epoch: record.epoch) == true, let stopper = earlyStop {
      emit(.earlyStop(epoch: record.epoch, bestEpoch: stopper.bestEpoch, bestLoss: stopper.best))
      earlyStop?.rearm()
      guard options.interactive else { return .earlyStopped }
      machine.state = .finished
      view.notify("early stop: no improvement for \(counted(stopper.patience, "epoch")) (best at epoch \(stopper.bestEpoch)): space trains on", .info)
      publish()
    } else if let epochs = options.epochs, !machine.openEnded, trainer.epoch >= epochs, machine.state == .running {
      guard options.interactive else { return .completed }
      machine.state = .finished
      emit(.finished(epoch: trainer.epoch))
      view.notify("finished \(counted(epochs, "epoch")): space trains on, q quits", .info)
      publish()
    }
    return nil
  }

  // MARK: - Publishing

  /// Writes an event to the log and folds it into the view.
  func emit(_ kind: EventKind) {
    let event = RunEvent.event(EventRecord(step: trainer.step, kind))
    log?.write(event)
    view.apply(event)
  }

  /// Swaps a fresh snapshot of the view into the channel (weights and the
  /// decision field at most every `slowRefresh`).
  func publish() {
    guard let channel else { return }
    let now = ContinuousClock.now
    lastPublish = now
    // The trainer's own counters are the truth: a resumed or rolled-back
    // run is where the trainer is, whatever the last sample said.
    view.state = machine.state
    view.step = trainer.step
    view.epoch = trainer.epoch
    view.epochProgress = trainer.epochProgress
    view.learningRate = trainer.learningRate
    view.trainingTime = trainer.trainingTime
    view.layers = trainer.latestStatistics
    view.health = trainer.latestHealth
    view.unsavedWork = options.loadedFrom != nil && options.savePath == nil && trainer.step != savedStep
    if view.weights.isEmpty || now - lastWeights >= Self.slowRefresh || machine.state != .running {
      view.apply(.weights(WeightsRecord(step: trainer.step, trainer.network)))
      lastWeights = now
    }
    if let fieldEvaluator, view.field == nil || now - lastField >= Self.slowRefresh || machine.state != .running {
      view.field = fieldEvaluator.field(of: trainer.network)
      lastField = now
    }
    channel.publish(view)
  }
}
