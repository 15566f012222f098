import Testing
import RunEvents

/// The one reducer, event by event, against values worked out by hand.
struct ReducerTests {
  static func view() -> RunView {
    guard case .run(let header) = CodecTests.events[0] else { fatalError("the first event is the header") }
    return RunView(header: header)
  }

  static func sample(step: Int, time: Double, loss: Float = 0.5, layers: [LayerStatistics] = []) -> RunEvent {
    .sample(
      RunSample(
        step: step, epoch: 0, epochProgress: Double(step) / 100, time: time, learningRate: 0.2, loss: Series.Bucket(x: Double(step), loss),
        metric: Series.Bucket(x: Double(step), 0.75), layers: layers, health: layers.map { _ in LayerHealth(status: .ok) }))
  }

  @Test func samplesDrawTheCurvesAndMeasureThroughput() {
    var v = Self.view()
    #expect(v.batchSize == 16 && v.learningRate == 0.2)
    v.apply(Self.sample(step: 0, time: 0))
    v.apply(Self.sample(step: 5, time: 0.01))  // inside the 50 ms window: no rate yet
    #expect(v.samplesPerSecond == 0)
    v.apply(Self.sample(step: 10, time: 0.5, layers: [CodecTests.layer, CodecTests.layer]))
    // 10 steps × 16 examples in 0.5 s.
    #expect(v.samplesPerSecond == 320)
    v.apply(Self.sample(step: 20, time: 1.0))
    // 10 × 16 / 0.5 again, smoothed 0.7 / 0.3: still 320; then a slower window.
    #expect(v.samplesPerSecond == 320)
    v.apply(Self.sample(step: 25, time: 1.5))
    #expect(abs(v.samplesPerSecond - (0.7 * 320 + 0.3 * 160)) < 1e-9)
    #expect(v.history.loss.total == 5 && v.history.metric.last == 0.75)
    #expect(v.history.gradientNorms[0].total == 1, "norms only from measured samples")
    #expect(v.layers.count == 2, "an unmeasured sample keeps the last layers")
    #expect(v.step == 25 && v.trainingTime == 1.5 && v.epochProgress == 0.25)
  }

  @Test func eventsMarkTheChartsAndSayWhatHappened() {
    var v = Self.view()
    v.apply(.event(EventRecord(step: 3, .learningRate(from: 0.2, to: 0.4))))
    #expect(v.learningRate == 0.4 && v.notice?.text == "η 0.2 → 0.4")
    #expect(v.history.marks.last == History.Mark(step: 3, label: "η"))
    v.apply(.event(EventRecord(step: 4, .pause)))
    #expect(v.state == .paused)
    let beforeDivergence = v.notice?.id ?? 0
    v.apply(.event(EventRecord(step: 7, .diverged(loss: .nan, learningRate: 8, at: "layer 2"))))
    #expect(v.state == .diverged && v.divergence == "diverged at step 7: the loss became NaN (η = 8)")
    #expect(v.notice?.level == .error && v.notice!.id > beforeDivergence)
    v.apply(.event(EventRecord(step: 7, .diverged(loss: 3, learningRate: 8, at: "layer 2"))))
    #expect(v.divergence == "diverged at step 7: layer 2 has NaN or infinite values (η = 8)")
    v.layers = [CodecTests.layer]
    v.apply(.event(EventRecord(step: 8, .rollback(toEpoch: 0, fromLearningRate: 8, learningRate: 0.02))))
    #expect(v.state == .paused && v.divergence == nil && v.learningRate == 0.02 && v.layers.isEmpty)
    #expect(v.notice?.text == "rolled back to the first weights; η = 0.02: space resumes")
    #expect(v.history.marks.map(\.label) == ["η", "NaN", "NaN", "back"])
    v.apply(.event(EventRecord(step: 9, .save(path: "m.safetensors", ok: false, automatic: true, error: "disk full"))))
    #expect(v.notice?.text == "save failed: disk full" && v.notice?.level == .error)
    v.apply(.event(EventRecord(step: 10, .resumeRun(from: "m.safetensors", epoch: 5, epochs: 8, learningRate: 0.1, mode: "headless"))))
    #expect(v.info.epochs == 8 && v.history.marks.last?.label == "resumed")
    v.apply(.summary(RunSummary(last: nil, best: nil, epochs: 8, steps: 10, time: 1, ending: .interrupted)))
    #expect(v.state == .stopped && v.notice?.text == "the run ended (interrupted)" && v.notice?.level == .warning)
  }

  /// The verdict an epoch carries is the view's until an epoch without one;
  /// its start is a notice with the numbers.
  @Test func overfittingComesWithItsEpochAndGoesWithTheNext() {
    var v = Self.view()
    let verdict = OverfittingVerdict(
      since: 6, bestEpoch: 4, bestStep: 40, bestValidationLoss: 0.5, validationLoss: 0.75, trainingLoss: 0.1, bestTrainingLoss: 0.2, reason: "r",
      hint: "h")
    v.apply(.event(EventRecord(step: 150, .overfitting(since: 6, bestEpoch: 4, bestLoss: 0.5, validationLoss: 0.75))))
    #expect(v.notice?.text == "overfitting since epoch 6: validation loss 0.750, 1.5× its best (epoch 4)" && v.notice?.level == .warning)
    v.apply(.epoch(EpochRecord(epoch: 15, step: 150, time: 1, learningRate: 0.1, loss: 0.1, validationLoss: 0.75, overfitting: verdict)))
    #expect(v.overfitting == verdict)
    v.apply(.epoch(EpochRecord(epoch: 16, step: 160, time: 1, learningRate: 0.1, loss: 0.1, validationLoss: 0.52)))
    #expect(v.overfitting == nil)
  }

  /// "finished: space trains on" goes when training goes on; other notices stay.
  @Test func theFinishedNoticeClearsWhenTrainingGoesOn() {
    var v = Self.view()
    v.apply(.event(EventRecord(step: 10, .finished(epoch: 5))))
    #expect(v.state == .finished && v.notice?.text == "finished 5 epochs")
    v.apply(.event(EventRecord(step: 10, .resume)))
    #expect(v.state == .running && v.notice == nil)
    v.apply(.event(EventRecord(step: 11, .pause)))
    v.apply(.event(EventRecord(step: 11, .learningRate(from: 0.1, to: 0.2))))
    v.apply(.event(EventRecord(step: 11, .resume)))
    #expect(v.notice?.text == "η 0.1 → 0.2", "a resume from a pause keeps the last notice")
  }

  @Test func paceEventsSetThePace() {
    var v = Self.view()
    #expect(v.pace == .full)
    v.apply(.event(EventRecord(step: 1, .pace(from: nil, to: 100))))
    #expect(v.pace == Pace(stepsPerSecond: 100) && v.notice?.text == "pace: 100 steps/s")
    v.apply(.event(EventRecord(step: 2, .pace(from: 100, to: nil))))
    #expect(v.pace == .full && v.notice?.text == "pace: full speed")
  }

  @Test func weightsOfAnotherShapeAreIgnored() {
    var v = Self.view()
    guard case .weights(let good) = CodecTests.events[2] else { return }
    v.apply(.weights(good))
    #expect(v.weights.map { [$0.rows, $0.cols] } == [[8, 2], [1, 8]] && v.weights[0][0, 1] == 0.125)
    var bad = good
    bad.layers[1].weights.removeLast()
    v.apply(.weights(WeightsRecord(step: 50, layers: bad.layers.map { .init(weights: $0.weights.map { $0 * 2 }, bias: $0.bias) })))
    #expect(v.weights[0][0, 1] == 0.125, "a line whose sizes disagree with the header changes nothing")
  }

  @Test func epochsDrawTheValidationCurves() {
    var v = Self.view()
    v.apply(CodecTests.events[3])
    #expect(v.history.validationLoss.last == 0.625 && v.history.validationMetric.last == 0.5)
    #expect(v.epoch == 1 && v.epochProgress == 0)
  }
}
