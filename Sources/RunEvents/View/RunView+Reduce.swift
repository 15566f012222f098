import NumberFormat

/// The one reducer: every source's events fold into the view here, so the
/// live session, a replay and a watched run show the same curves, marks,
/// throughput and notices for the same events.
extension RunView {
  /// Seconds of training over which throughput is measured (a live run's
  /// steps come microseconds apart, a log's samples up to 250 ms apart).
  static let rateWindow = 0.05

  public mutating func apply(_ event: RunEvent) {
    switch event {
    case .run(let header):
      self = RunView(header: header)
    case .sample(let sample):
      apply(sample)
    case .weights(let record):
      if let matrices = record.matrices(info.layerShapes) { weights = matrices }
    case .epoch(let record):
      let x = Double(record.step)
      if let v = record.validationLoss { history.validationLoss.append(x: x, Float(v)) }
      if let v = record.validationMetric { history.validationMetric.append(x: x, Float(v)) }
      epoch = record.epoch
      epochProgress = 0
      overfitting = record.overfitting
    case .event(let record):
      apply(record)
    case .summary(let summary):
      state = .stopped
      notify("the run ended (\(summary.ending.rawValue))", summary.ending == .completed ? .info : .warning)
    }
  }

  private mutating func apply(_ sample: RunSample) {
    let x = Double(sample.step)
    history.loss.append(sample.loss)
    history.metric.append(sample.metric)
    for (l, stats) in sample.layers.enumerated() where l < history.gradientNorms.count {
      history.gradientNorms[l].append(x: x, Float(stats.gradientNorm))
    }
    if !sample.layers.isEmpty {
      layers = sample.layers
      health = sample.health
    }
    measureThroughput(step: sample.step, time: sample.time)
    step = sample.step
    epoch = sample.epoch
    epochProgress = sample.epochProgress
    trainingTime = sample.time
    if sample.learningRate.isFinite { learningRate = sample.learningRate }
  }

  /// Examples a second over the last `rateWindow` of training, smoothed.
  private mutating func measureThroughput(step: Int, time: Double) {
    guard let anchor = rateAnchor, step >= anchor.step, time >= anchor.time else {
      rateAnchor = (step, time)
      return
    }
    guard time - anchor.time >= Self.rateWindow else { return }
    let perStep = Double(info.trainCount > 0 ? min(batchSize, info.trainCount) : batchSize)
    let rate = Double(step - anchor.step) * perStep / (time - anchor.time)
    samplesPerSecond = samplesPerSecond == 0 ? rate : 0.7 * samplesPerSecond + 0.3 * rate
    rateAnchor = (step, time)
  }

  private mutating func apply(_ record: EventRecord) {
    if let label = record.kind.markLabel { history.mark(step: record.step, label) }
    // An acknowledgement can come before the next sample: it says where the run is.
    if record.step > step { step = record.step }
    func eta(_ v: Float) -> String { v.isFinite ? shortNumber(v) : "?" }
    switch record.kind {
    case .pause:
      if state == .running { state = .paused }
    case .resume:
      // "finished: space trains on" is old news once it does.
      if state == .finished { notice = nil }
      state = .running
    case .step:
      if state == .running { state = .paused }
    case .learningRate(let from, let to):
      if to.isFinite { learningRate = to }
      notify("η \(eta(from)) → \(eta(to))", .info)
    case .reducedLearningRate(_, let from, let to):
      if to.isFinite { learningRate = to }
      notify("plateau: η \(eta(from)) → \(eta(to))", .info)
    case .reset:
      divergence = nil
      overfitting = nil  // a new network: its own verdicts
      layers = []
      health = []
      if state == .diverged { state = .paused }
      notify("weights re-initialised", .info)
    case .diverged(let loss, let lr, let at):
      let what = loss.isFinite ? "\(at == "loss" ? "a layer" : at) has NaN or infinite values" : "the loss became \(loss.isNaN ? "NaN" : "infinite")"
      let message = "diverged at step \(record.step): \(what) (η = \(eta(lr)))"
      state = .diverged
      divergence = message
      notify(message, .error)
    case .rollback(let epoch, _, let lr):
      if lr.isFinite { learningRate = lr }
      state = .paused
      divergence = nil
      layers = []
      health = []
      let which = epoch == 0 ? "the first weights" : "the weights of epoch \(epoch), the best before"
      notify("rolled back to \(which); η = \(eta(lr)): space resumes", .info)
    case .save(let path, let ok, let automatic, let error):
      if !ok {
        notify("save failed: \(error ?? path)", .error)
      } else if !automatic {
        notify("saved \(path)", .info)
      }
    case .earlyStop(_, let best, _):
      state = .finished
      notify("early stop: no improvement since epoch \(best)", .info)
    case .finished(let epoch):
      state = .finished
      notify("finished \(counted(epoch, "epoch"))", .info)
    case .overfitting(let since, let best, let bestLoss, let loss):
      notify("overfitting since epoch \(since): validation loss \(ChartFormat.compact(loss)), \(OverfittingVerdict.times(loss, best: bestLoss))its best (epoch \(best))", .warning)
    case .pace(_, let to):
      pace = Pace(stepsPerSecond: to)
      notify("pace: \(pace.label)", .info)
    case .resumeRun(let from, _, let epochs, _, _):
      // The resumed run's own goal (N more epochs), or open-ended.
      info.epochs = epochs
      notify("resumed from \(from.isEmpty ? "a checkpoint" : from)", .info)
    case .stop:
      notify("asked to stop: the run ends after this step", .info)
    case .refused(let command, let reason):
      notify("\(command) refused: \(reason)", .warning)
    case .other:
      break
    }
  }
}
