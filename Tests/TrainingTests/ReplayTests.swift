import Interop
import Datasets
import Foundation
import NeuralNet
import Testing
import TestSupport
import RunEvents
@testable import Training

/// A run recorded with `--log` and played back: the replay must end where the
/// live run ended.
@Suite(.serialized)
struct ReplayTests {
  /// Trains moons for `epochs` with a log and a channel; returns the log's path
  /// and the live session's last snapshot.
  func recordedRun(_ dir: TemporaryDirectory, epochs: Int = 6, events: (TrainingControl) -> Void = { _ in }) throws -> (String, RunView) {
    let data = try DataSource(spec: "moons").load(seed: 3)
    let prepared = try PreparedData(data, validationSplit: 0.2, normalize: true, output: .sigmoid, seed: 3)
    let spec = NetworkSpec(sizes: [2, 8, 8, 1], hidden: .tanh, output: .sigmoid, loss: .bce)
    var rng = SeededGenerator(seed: 3)
    var config = TrainingConfig()
    config.learningRate = 0.2
    config.batchSize = 16
    let trainer = Trainer(network: try spec.make(using: &rng), spec: spec, data: prepared, config: config)
    var options = SessionOptions()
    options.epochs = epochs
    let path = dir.file("run.jsonl")
    let log = try RunLog(path: path)
    let info = RunInfo(trainer: trainer, epochs: epochs)
    log.write(.run(RunHeader(mode: "test", info: info, batchSize: 16, learningRate: config.learningRate, lossFunction: "bce")))
    let control = TrainingControl(), channel = SnapshotChannel()
    events(control)
    let session = TrainingSession(trainer: trainer, info: info, control: control, channel: channel, log: log, options: options)
    session.run()
    return (path, try #require(channel.latest().1))
  }

  @Test func playedToTheEndItRedrawsTheLiveCurves() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let (path, live) = try recordedRun(dir)
    let recording = try RunRecording(path: path)
    #expect(recording.complete)
    var player = ReplayPlayer(recording: recording)
    player.seek(to: .infinity)
    let replay = player.view
    #expect(replay.state == .finished && player.progress == 1)
    #expect(replay.step == live.step && replay.epoch == live.epoch)
    // Every step's loss is in the log's buckets: same count, extremes, mean, last.
    let a = live.history.loss, b = replay.history.loss
    #expect(b.total == a.total)
    #expect(b.range == a.range)
    let meanA = a.buckets.reduce(0) { $0 + $1.sum } / Double(a.total)
    let meanB = b.buckets.reduce(0) { $0 + $1.sum } / Double(b.total)
    #expect(isApproximatelyEqual(meanA, meanB, relative: 1e-4), "\(meanA) vs \(meanB)")
    #expect(isApproximatelyEqual(a.buckets.last!.last, b.buckets.last!.mean, relative: 1e-5) || b.buckets.last!.count > 1)
    #expect(live.history.metric.range == replay.history.metric.range)
    // Validation curves come from the epoch lines: identical, point for point (to the log's digits).
    #expect(replay.history.validationLoss.buckets.count == 6)
    for (x, y) in zip(live.history.validationLoss.buckets, replay.history.validationLoss.buckets) {
      #expect(x.x == y.x && isApproximatelyEqual(x.mean, y.mean, relative: 1e-6))
    }
    for (x, y) in zip(live.history.validationMetric.buckets, replay.history.validationMetric.buckets) {
      #expect(x.x == y.x && isApproximatelyEqual(x.mean, y.mean, relative: 1e-6))
    }
    // The last weights line holds the final weights to 4 significant digits.
    #expect(replay.weights.count == 3)
    for (w, v) in zip(live.weights, replay.weights) {
      #expect(w.rows == v.rows && w.cols == v.cols)
      for (x, y) in zip(w.storage, v.storage) { #expect(isApproximatelyEqual(x, y, absolute: 1e-6, relative: 6e-4)) }
    }
    // Layer panel: the statistics of the last sample.
    #expect(replay.layers.count == 3 && replay.health.count == 3)
    #expect(isApproximatelyEqual(replay.layers[0].gradientNorm, live.layers[0].gradientNorm, relative: 1e-5))
    // The decision field is recomputed from the stored weights: nearly every grid point agrees.
    let lf = try #require(live.field), rf = try #require(replay.field)
    let agree = zip(lf.classes, rf.classes).filter { $0 == $1 }.count
    #expect(Double(agree) >= 0.99 * Double(lf.classes.count))
  }

  @Test func playsOnTheTrainingClockAtItsSpeed() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let (path, _) = try recordedRun(dir)
    let recording = try RunRecording(path: path)
    var player = ReplayPlayer(recording: recording)
    let duration = player.duration
    #expect(duration > 0)
    // A short run is slowed down to play for 10 to 60 seconds.
    #expect(duration / player.speed >= 10 && duration / player.speed <= 60 || player.speed == ReplayPlayer.speeds[0])
    #expect(player.view.step == 0 && player.view.state == .running)
    let moved = player.advance(wallSeconds: 3)
    #expect(moved)
    let clock = player.clock
    #expect(isApproximatelyEqual(clock, 3 * player.speed, relative: 1e-9))
    // Where the training clock is: the last sample logged by then (how many
    // that is depends on how fast this machine trained the run).
    let samples = recording.events.compactMap { event -> (step: Int, time: Double)? in
      if case .sample(let s) = event { return (s.step, s.time) }
      return nil
    }
    let step = player.view.step
    #expect(step == (samples.last { $0.time <= clock }?.step ?? 0) && step < samples.last!.step, "step \(step) at \(clock) s of \(duration) s")
    player.apply(.togglePause)
    #expect(player.view.state == .paused)
    let movedWhilePaused = player.advance(wallSeconds: 5)
    #expect(!movedWhilePaused && player.clock == clock)
    player.apply(.togglePause)
    let speed = player.speed
    player.apply(.faster)
    #expect(player.speed == 2 * speed)
    player.apply(.slower)
    #expect(player.speed == speed)
    player.apply(.seekEnd)
    #expect(player.view.state == .finished && player.progress == 1)
    let end = player.view
    player.apply(.back)
    #expect(player.view.step < end.step && player.view.state == .running)
    player.apply(.seekStart)
    #expect(player.view.step == 0 && player.view.history.loss.total == 0 && player.clock == 0)
    // Played through in small steps, it ends in the same place as a jump to the end.
    player.apply(.seekStart)
    var polls = 0
    while !player.atEnd && polls < 100_000 {
      _ = player.advance(wallSeconds: 0.25)
      polls += 1
    }
    let played = player.atEnd
    #expect(played && polls > 10)
    #expect(player.view.history.loss == end.history.loss)
    #expect(player.view.history.validationLoss == end.history.validationLoss)
    #expect(player.view.weights == end.weights)
  }

  @Test func eventsBecomeMarksAndNotices() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let (path, live) = try recordedRun(dir, epochs: 2) { control in control.send(.setLearningRate(0.05)) }
    var player = ReplayPlayer(recording: try RunRecording(path: path))
    player.seek(to: .infinity)
    #expect(live.history.marks.map(\.label) == ["η"])
    #expect(player.view.history.marks == live.history.marks)
    #expect(player.view.learningRate == 0.05)
  }

  @Test func aLogCutMidLineStillPlays() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let (path, _) = try recordedRun(dir, epochs: 3)
    var bytes = [UInt8](FileManager.default.contents(atPath: path)!)
    // Drop the summary and half of the line before it, as `kill -9` would.
    let lines = bytes.split(separator: UInt8(ascii: "\n"))
    bytes.removeLast(lines.last!.count + 1 + lines[lines.count - 2].count / 2 + 1)
    let recording = try RunRecording(bytes: bytes, file: "cut.jsonl")
    #expect(!recording.complete)
    var player = ReplayPlayer(recording: recording)
    player.seek(to: .infinity)
    #expect(player.view.step > 0)
    #expect(player.view.notice?.text.contains("without a summary") == true)
  }

  @Test func rejectsWhatIsNotARunLog() throws {
    func error(_ text: String) -> String {
      do {
        _ = try RunRecording(bytes: Array(text.utf8), file: "x.jsonl")
        return ""
      } catch { return error.description }
    }
    #expect(error("") == "x.jsonl: not an nntop run log (no \"run\" line)")
    // Damaged lines are skipped (DamagedLogTests); without a header, the first is named.
    #expect(error("{\"type\":\"epoch\"}\nnot json\n").hasPrefix("x.jsonl: not an nntop run log (no \"run\" line; x.jsonl:2: skipped: not a JSON line"))
    #expect(error("{\"a\":1}\n") == "x.jsonl: not an nntop run log (no \"run\" line; x.jsonl:1: skipped: a line without a known \"type\")")
    #expect(error("{\"type\":\"run\",\"layers\":[]}\n") == "x.jsonl: the run header has no layer shapes")
    #expect(throws: RecordingError.self) { try RunRecording(path: "/nonexistent/run.jsonl") }
  }
}

/// A watched run's log replayed: its statistics get the verdicts they got live.
struct WatchedLogReplayTests {
  @Test func aPyTorchLogIsJudgedOnReplay() throws {
    let header = #"{"type":"run","schema":1,"source":"pytorch","layers":[[4,2],[1,4]],"activations":["relu","linear"],"task":"regression","batch":8,"lr":0.1}"#
    let sample = #"{"type":"sample","step":5,"time":1,"lr":0.1,"loss":[0.5,0.4,0.6,2],"layers":[{"shape":[4,2],"grad_norm":1e-9,"weight_norm":1,"update_ratio":0.001},{"shape":[1,4],"grad_norm":0.5,"weight_norm":1,"update_ratio":0.001}]}"#
    let summary = #"{"type":"summary","ending":"completed","epochs":1,"steps":5,"time":1}"#
    let recording = try RunRecording(bytes: Array(([header, sample, summary].joined(separator: "\n") + "\n").utf8), file: "log.jsonl")
    var player = ReplayPlayer(recording: recording)
    player.seek(to: .infinity)
    #expect(player.view.health.map(\.status) == [.vanishing, .ok])
  }
}
