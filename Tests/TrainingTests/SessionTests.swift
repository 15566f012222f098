import Interop
import Datasets
import Foundation
import NeuralNet
import Testing
import TestSupport
import RunEvents
@testable import Training

/// The trainer thread steered through `TrainingControl`, as the dashboard steers it.
@Suite(.serialized)
struct SessionTests {
  final class Running: @unchecked Sendable {
    // `summary` is written by the session thread before `finished` is
    // signalled and read after; `thread` is written before `started` is
    // signalled and read after.
    var summary: RunSummary?
    var thread = pthread_self()
    let started = DispatchSemaphore(value: 0)
    let finished = DispatchSemaphore(value: 0)

    /// CPU seconds the session thread has used.
    var cpuTime: Double {
      var clock = clockid_t()
      pthread_getcpuclockid(thread, &clock)
      var t = timespec()
      clock_gettime(clock, &t)
      return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }
  }

  func session(
    lr: Float = 0.1, log: RunLog? = nil, epochs: Int? = nil, interactive: Bool = true, regression: Bool = false, batch: Int = 32,
    publishing: Bool = true, configure: (inout SessionOptions) -> Void = { _ in }
  ) throws -> (TrainingSession, SnapshotChannel, TrainingControl) {
    let data = try DataSource(spec: regression ? "sine" : "moons").load(seed: 1)
    let output: Activation = regression ? .linear : .sigmoid
    let prepared = try PreparedData(data, validationSplit: 0.2, normalize: true, output: output, seed: 1)
    let spec = NetworkSpec(
      sizes: [data.featureCount, 8, 1], hidden: regression ? .relu : .tanh, output: output, loss: regression ? .mse : .bce)
    var rng = SeededGenerator(seed: 1)
    var config = TrainingConfig()
    config.learningRate = lr
    config.batchSize = batch
    let trainer = Trainer(network: try spec.make(using: &rng), spec: spec, data: prepared, config: config)
    var options = SessionOptions()
    options.interactive = interactive
    options.epochs = epochs
    options.publishInterval = 0.005
    configure(&options)
    let control = TrainingControl(), channel = SnapshotChannel()
    let session = TrainingSession(
      trainer: trainer, info: RunInfo(trainer: trainer, epochs: epochs), control: control, channel: publishing ? channel : nil, log: log,
      options: options)
    return (session, channel, control)
  }

  func start(_ session: TrainingSession) -> Running {
    let running = Running()
    nonisolated(unsafe) let s = session
    Thread {
      running.thread = pthread_self()
      running.started.signal()
      running.summary = s.run().summary
      running.finished.signal()
    }.start()
    running.started.wait()
    return running
  }

  func waitFor(_ channel: SnapshotChannel, timeout: Double = 20, _ condition: (RunView) -> Bool) -> RunView? {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
      if let s = channel.latest().snapshot, condition(s) { return s }
      usleep(2000)
    }
    return nil
  }

  @Test func pauseFreezesStepsAndEachStepCommandRunsOneBatch() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let log = try RunLog(path: dir.file("run.jsonl"))
    let (session, channel, control) = try session(log: log)
    let running = start(session)
    #expect(waitFor(channel) { $0.step > 50 } != nil)
    control.send(.pause)
    let paused = try #require(waitFor(channel) { $0.state == .paused })
    // Paused means waiting, not spinning: the trainer thread burns almost no CPU.
    let before = running.cpuTime
    usleep(300_000)
    let used = running.cpuTime - before
    #expect(used < 0.05, "the paused trainer thread used \(used) s of CPU in 0.3 s")
    // Steps frozen while paused: each n moves exactly one step from where
    // the pause left it (a step taken in between would overshoot these).
    for k in 1...3 {
      control.send(.step(1))
      let stepped = try #require(waitFor(channel) { $0.step >= paused.step + k })
      #expect(stepped.step == paused.step + k && stepped.state == .paused)
    }
    // The view published for the next command shows no step after the third.
    control.send(.setLearningRate(0.25))
    let retuned = try #require(waitFor(channel) { $0.learningRate == 0.25 })
    #expect(retuned.step == paused.step + 3)
    control.send(.resume)
    #expect(waitFor(channel) { $0.state == .running && $0.step > paused.step + 10 } != nil)
    control.send(.stop)
    running.finished.wait()
    #expect(running.summary?.ending == .quit)
    let events = try String(contentsOfFile: dir.file("run.jsonl"), encoding: .utf8).split(separator: "\n").compactMap { try? JSON(parsing: String($0)) }
    let names = events.filter { $0["type"]?.stringValue == "event" }.compactMap { $0["event"]?.stringValue }
    #expect(names == ["pause", "step", "step", "step", "lr", "resume"])
    #expect(events.last?["type"]?.stringValue == "summary")
  }

  /// At 50 steps a second, 20 steps after the first take at least 0.38 s
  /// however fast the machine; the waits count as training time; single
  /// steps are not held back (50 at 10 steps a second come at once); `>` lifts
  /// the limit.
  @Test func aPaceHoldsTrainingBackAndCountsTheWaitAsTrainingTime() throws {
    let (session, channel, control) = try session { $0.pace = Pace(stepsPerSecond: 50) }
    let running = start(session)
    let first = try #require(waitFor(channel) { $0.step >= 1 })
    let started = Date()
    let twenty = try #require(waitFor(channel) { $0.step >= first.step + 20 })
    let elapsed = Date().timeIntervalSince(started)
    #expect(elapsed >= 0.38, "\(twenty.step - first.step) steps in \(elapsed) s at 50 steps/s")
    // The waits are most of those 0.38 s; steps alone take milliseconds. (What
    // the session does between steps, publishing, is not training time:
    // 0.05 s of it in these 20 steps under ThreadSanitizer.)
    #expect(twenty.trainingTime - first.trainingTime >= 0.2, "training time \(twenty.trainingTime - first.trainingTime) s: the waits were not counted")
    #expect(twenty.pace == Pace(stepsPerSecond: 50))
    control.send(.pause)
    let paused = try #require(waitFor(channel) { $0.state == .paused })
    for _ in 0..<2 { control.send(.stepPace(faster: false)) }  // 50 → 10 → 10 (the slowest)
    let singles = Date()
    control.send(.step(50))
    let stepped = try #require(waitFor(channel, timeout: 15) { $0.step == paused.step + 50 })
    #expect(Date().timeIntervalSince(singles) < 3, "50 single steps held back to the pace of 10 a second would take 5 s")
    #expect(stepped.state == .paused && stepped.pace == Pace(stepsPerSecond: 10))
    control.send(.resume)
    for _ in 0..<4 { control.send(.stepPace(faster: true)) }  // 10 → 100 → 1k → 10k → full
    let fast = try #require(waitFor(channel) { $0.pace == .full })
    #expect(waitFor(channel) { $0.step > fast.step + 2_000 } != nil, "full speed again")
    control.send(.stop)
    running.finished.wait()
  }

  @Test func earlyStopFinishesThenWatchesAgainWhenTrainingGoesOn() throws {
    // η so small nothing improves: the plateau cuts η every epoch, down to
    // its floor (1e-4 of the starting η) and no further; early stopping
    // finishes the run after 3 epochs.
    let (session, channel, control) = try session(lr: 1e-6) {
      $0.plateau = PlateauScheduler(factor: 0.1, patience: 1)
      $0.earlyStop = EarlyStopping(patience: 3)
    }
    let running = start(session)
    let first = try #require(waitFor(channel) { $0.state == .finished })
    // Training goes on (space): the stop is re-armed and comes 3 epochs later.
    control.send(.resume)
    let second = try #require(waitFor(channel) { $0.state == .finished && $0.epoch > first.epoch })
    #expect(second.epoch == first.epoch + 3)
    #expect(second.learningRate >= 1e-10 * 0.999 && second.learningRate <= 1e-10 * 1.001, "η \(second.learningRate)")
    control.send(.stop)
    running.finished.wait()
  }

  @Test func divergencePausesAndRollBackRecovers() throws {
    // ReLU and a linear output with MSE and a huge η: the weights blow up to infinity.
    let (session, channel, control) = try session(lr: 1e3, regression: true)
    let running = start(session)
    let diverged = try #require(waitFor(channel) { $0.state == .diverged })
    #expect(diverged.divergence?.contains("diverged at step") == true)
    // The verdicts say where: NaN on the broken layers (or the output layer).
    #expect(diverged.health.contains { $0.status == .nan }, "\(diverged.health.map(\.status))")
    #expect(diverged.health.filter { $0.status == .nan }.allSatisfy { $0.hint.contains("d rolls back") })
    #expect(diverged.history.loss.buckets.allSatisfy { $0.min.isFinite && $0.max.isFinite })
    control.send(.resume)  // refused while diverged: the refusal is what proves it was seen
    let refused = try #require(waitFor(channel) { $0.notice?.text.contains("diverged: press r") == true })
    #expect(refused.state == .diverged)
    control.send(.reinitialize)
    let reset = try #require(waitFor(channel) { $0.state == .paused })
    #expect(reset.weights.allSatisfy { $0.storage.allSatisfy(\.isFinite) })
    control.send(.stop)
    running.finished.wait()
  }

  @Test func rollBackRestoresFiniteWeightsWithATenthOfEta() throws {
    let (session, channel, control) = try session(lr: 1e3, regression: true)
    let first = session.trainer.network.layers.map { WeightMatrix(rows: $0.weights.rows, cols: $0.weights.cols, storage: $0.weights.storage) }
    let running = start(session)
    let diverged = try #require(waitFor(channel) { $0.state == .diverged })
    #expect(diverged.learningRate == 1e3 && diverged.epoch == 0)
    control.send(.rollBack)
    let rolledBack = try #require(waitFor(channel) { $0.state == .paused })
    #expect(rolledBack.learningRate == 100)
    // Diverged in the first epoch: back to the first weights, not to the
    // finite but ruined ones of a step before the NaN.
    #expect(rolledBack.weights == first)
    #expect(rolledBack.divergence == nil)
    control.send(.stop)
    running.finished.wait()
  }

  @Test func minusAfterADivergenceOnlyHalvesEtaAndRollBackIsLogged() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let log = try RunLog(path: dir.file("run.jsonl"))
    let (session, channel, control) = try session(lr: 1e3, log: log, regression: true)
    let running = start(session)
    _ = try #require(waitFor(channel) { $0.state == .diverged })
    control.send(.scaleLearningRate(0.5))  // the - key
    let halved = try #require(waitFor(channel) { $0.learningRate == 500 })
    #expect(halved.state == .diverged, "- is never a roll-back")
    control.send(.rollBack)
    let back = try #require(waitFor(channel) { $0.state == .paused })
    #expect(back.learningRate == 50, "η ÷ 10 from the smaller of 500 and the first weights' 1000")
    control.send(.stop)
    running.finished.wait()
    let events = try String(contentsOfFile: dir.file("run.jsonl"), encoding: .utf8).split(separator: "\n")
      .compactMap { try? JSON(parsing: String($0)) }.filter { $0["type"]?.stringValue == "event" }
    let names = events.compactMap { $0["event"]?.stringValue }
    #expect(names.contains("rollback"))
    let rollback = try #require(events.first { $0["event"]?.stringValue == "rollback" })
    #expect(rollback["to_epoch"]?.intValue == 0 && rollback["from_lr"]?.doubleValue == 500 && rollback["lr"]?.doubleValue == 50)
  }

  @Test func rollBackSkipsWeightsThatAreFiniteButRuined() throws {
    // One batch an epoch; then η = 1e30: the next epoch ends with huge but
    // finite weights, and the step after them diverges. `d` must not return
    // to those: it goes back to weights whose loss was measured and finite.
    let (session, channel, control) = try session(batch: 400)
    let running = start(session)
    _ = try #require(waitFor(channel) { $0.epoch >= 20 })
    control.send(.setLearningRate(1e30))
    _ = try #require(waitFor(channel) { $0.state == .diverged })
    control.send(.rollBack)
    let rolledBack = try #require(waitFor(channel) { $0.state == .paused })
    #expect(rolledBack.learningRate == Float(0.1) * 0.1, "η ÷ 10 from the good weights' η, not from 1e30")
    #expect(rolledBack.weights.allSatisfy { $0.storage.allSatisfy { abs($0) < 1e3 } })
    #expect(rolledBack.layers.isEmpty, "the NaN verdicts of the ruined weights are gone")
    // From there, training goes on without diverging.
    control.send(.step(3))
    let stepped = try #require(waitFor(channel) { $0.step == rolledBack.step + 3 })
    #expect(stepped.state == .paused && stepped.health.allSatisfy { $0.status != .nan })
    control.send(.stop)
    running.finished.wait()
  }

  @Test func spaceAfterFinishedTrainsOnWithoutAGoal() throws {
    let (session, channel, control) = try session(epochs: 2)
    let running = start(session)
    let finished = try #require(waitFor(channel) { $0.state == .finished })
    #expect(finished.epoch == 2 && finished.info.epochs == 2)
    control.send(.togglePause)
    let onward = try #require(waitFor(channel) { $0.epoch >= 5 })
    #expect(onward.state == .running && onward.info.epochs == nil)
    control.send(.stop)
    running.finished.wait()
  }

  @Test func headlessSessionStopsAtItsEpochs() throws {
    let (session, _, _) = try session(epochs: 3, interactive: false)
    let summary = session.run().summary
    #expect(summary.ending == .completed && summary.epochs == 3 && session.lastRecord?.epoch == 3)
  }

  @Test func epochRecordsThinOutInLongRunsButKeepTheLast() throws {
    // Every epoch up to 1,000, every 2nd to 2,000, every 4th to 4,000…
    #expect((1...1000).allSatisfy(RunRecorder.recordsEpoch))
    #expect((1001...2000).filter(RunRecorder.recordsEpoch) == Array(stride(from: 1002, through: 2000, by: 2)))
    #expect((2000..<4000).filter(RunRecorder.recordsEpoch) == Array(stride(from: 2000, to: 4000, by: 4)))
    // …and every 1,024th around the millionth: about 500 records a doubling.
    #expect((1_000_000..<1_020_000).filter(RunRecorder.recordsEpoch) == Array(stride(from: 1_000_448, to: 1_020_000, by: 1024)))
    // A session of 1,201 epochs logs 1,000 + 100 of them, and the last (odd) one.
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let log = try RunLog(path: dir.file("run.jsonl"))
    let (session, _, _) = try session(log: log, epochs: 1201, interactive: false, batch: 400, publishing: false)  // one step an epoch
    session.run()
    let epochs = try String(contentsOfFile: dir.file("run.jsonl"), encoding: .utf8).split(separator: "\n")
      .compactMap { try? JSON(parsing: String($0)) }.filter { $0["type"]?.stringValue == "epoch" }.compactMap { $0["epoch"]?.intValue }
    #expect(epochs.count == 1101 && epochs.prefix(1000) == ArraySlice(1...1000) && epochs.last == 1201)
  }
}
