import Datasets
import Foundation
import NeuralNet
import NumberFormat

/// Steering a replay (the dashboard's keys in replay mode).
public enum ReplayCommand: Sendable, Equatable {
  case togglePause
  case faster
  case slower
  case seekStart
  case seekEnd
  /// Jump back or forward by a twentieth of the run.
  case back
  case forward
}

/// Plays a recorded run (`RunRecording`) back as the snapshots the live
/// session published: the clock runs on the run's training time (pauses
/// excluded) times `speed`, and every log line up to the clock is folded into
/// the snapshot — samples into the curves and layer panels, epochs into the
/// validation curves, weights into the heatmap and decision field, events
/// into marks and notices. Seeking back replays from the start (folding is
/// fast: a log holds a few lines per second of training).
public struct ReplayPlayer {
  /// Speeds `+` and `-` step through.
  public static let speeds: [Double] = (-12...8).map { Foundation.pow(2, Double($0)) }

  public let recording: RunRecording
  public private(set) var snapshot: Snapshot
  /// Lines folded in so far.
  public private(set) var cursor = 0
  /// Where playback is, in seconds of the recorded run's training time.
  public private(set) var clock = 0.0
  public private(set) var speed: Double
  public private(set) var paused = false
  /// The recorded run's training time.
  public let duration: Double

  /// Each line's place on the clock (events and weights take the time of the sample before them).
  private let times: [Double]
  private let fieldEvaluator: DecisionFieldEvaluator?
  private var noticeCount = 0
  private var previousSample: (step: Int, time: Double)?

  /// A player at the start of `recording`, at a speed that plays the whole
  /// run in 10 to 60 seconds where it can (a run of a second is slowed down,
  /// one of an hour sped up).
  public init(recording: RunRecording) {
    self.recording = recording
    var times: [Double] = []
    var last = 0.0
    for entry in recording.entries {
      switch entry {
      case .sample(let s): last = max(last, s.time)
      case .epoch(let e): last = max(last, e.time)
      default: break
      }
      times.append(last)
    }
    self.times = times
    duration = last
    speed = Self.speeds.last { last / $0 >= 10 } ?? Self.speeds[0]
    if last / speed > 60 { speed = Self.speeds.first { last / $0 <= 60 } ?? Self.speeds[Self.speeds.count - 1] }
    let info = recording.info
    if info.layerShapes.first?.inputs == 2, info.isClassification, !info.points.isEmpty {
      let encoding: TargetEncoding = info.layerShapes.last?.outputs == 1 ? .binary(classes: info.classNames) : .oneHot(classes: info.classNames)
      fieldEvaluator = DecisionFieldEvaluator(points: info.points, encoding: encoding)
    } else {
      fieldEvaluator = nil
    }
    snapshot = Self.initialSnapshot(recording)
  }

  /// Where playback is, 0…1.
  public var progress: Double {
    guard duration > 0 else { return cursor >= times.count ? 1 : 0 }
    return min(max(clock / duration, 0), 1)
  }

  public var atEnd: Bool { cursor >= times.count }

  /// Plays at `speed` seconds of training per second.
  public mutating func setSpeed(_ speed: Double) {
    if speed > 0 && speed.isFinite { self.speed = speed }
  }

  /// Moves the clock on by `seconds` of wall time (nothing while paused);
  /// true when the snapshot changed.
  public mutating func advance(wallSeconds seconds: Double) -> Bool {
    guard !paused, !atEnd else { return false }
    return seek(to: clock + seconds * speed)
  }

  public mutating func apply(_ command: ReplayCommand) {
    switch command {
    case .togglePause:
      if atEnd {
        seek(to: 0)
        paused = false
      } else {
        paused.toggle()
      }
    case .faster:
      speed = Self.speeds.first { $0 > speed } ?? speed
    case .slower:
      speed = Self.speeds.last { $0 < speed } ?? speed
    case .seekStart:
      seek(to: 0)
    case .seekEnd:
      seek(to: .infinity)
    case .back:
      seek(to: clock - duration / 20)
    case .forward:
      seek(to: clock + duration / 20)
    }
    updateState()
  }

  /// Moves playback to `time` (clamped to the run; `.infinity` is the very
  /// end, past the last line); true when the snapshot changed.
  @discardableResult
  public mutating func seek(to time: Double) -> Bool {
    let toEnd = time == .infinity
    let target = toEnd ? duration : min(max(time, 0), duration)
    var changed = false
    if (target < clock || time <= 0) && cursor > 0 {
      snapshot = Self.initialSnapshot(recording)
      cursor = 0
      previousSample = nil
      changed = true
    }
    clock = target
    while cursor < times.count, toEnd || times[cursor] <= clock {
      fold(recording.entries[cursor])
      cursor += 1
      changed = true
    }
    if atEnd, !recording.complete {
      notify("the log ends without a summary: the run was killed or is still going", .warning)
    }
    updateState()
    return changed
  }

  private mutating func updateState() {
    snapshot.state = atEnd ? .finished : paused ? .paused : .running
  }

  static func initialSnapshot(_ recording: RunRecording) -> Snapshot {
    var s = Snapshot(info: recording.info, layers: recording.info.layerShapes.count)
    s.batchSize = recording.batchSize
    s.learningRate = recording.learningRate
    return s
  }

  // MARK: - Folding lines in

  private mutating func fold(_ entry: RunRecording.Entry) {
    switch entry {
    case .sample(let sample): fold(sample)
    case .epoch(let e):
      let x = Double(e.step)
      if let v = e.validationLoss { snapshot.history.validationLoss.append(x: x, Float(v)) }
      if let v = e.validationMetric { snapshot.history.validationMetric.append(x: x, Float(v)) }
      snapshot.epoch = e.epoch
      snapshot.epochProgress = 0
    case .event(let event): fold(event)
    case .weights(_, let layers):
      fold(weights: layers)
    case .summary(let ending):
      notify("end of the recording: the run ended (\(ending))", .info)
    }
  }

  private mutating func fold(_ sample: RunRecording.Sample) {
    let x = Double(sample.step)
    snapshot.history.loss.append(sample.loss)
    snapshot.history.metric.append(sample.metric)
    for (l, stats) in sample.layers.enumerated() where l < snapshot.history.gradientNorms.count {
      snapshot.history.gradientNorms[l].append(x: x, Float(stats.gradientNorm))
    }
    if let previous = previousSample, sample.time > previous.time {
      let rate = Double((sample.step - previous.step) * recording.batchSize) / (sample.time - previous.time)
      snapshot.samplesPerSecond = snapshot.samplesPerSecond == 0 ? rate : 0.7 * snapshot.samplesPerSecond + 0.3 * rate
    }
    previousSample = (sample.step, sample.time)
    snapshot.step = sample.step
    snapshot.epoch = sample.epoch
    snapshot.epochProgress = sample.epochProgress
    snapshot.trainingTime = sample.time
    if sample.learningRate.isFinite { snapshot.learningRate = sample.learningRate }
    snapshot.layers = sample.layers
    snapshot.health = sample.health
  }

  private mutating func fold(_ event: RunRecording.Event) {
    if let label = History.markLabel(forEvent: event.name) { snapshot.history.mark(step: event.step, label) }
    let f = event.fields
    func rate(_ key: String) -> String { f[key]?.doubleValue.map { shortNumber(Float($0)) } ?? "?" }
    switch event.name {
    case "lr":
      notify("η \(rate("from")) → \(rate("to"))", .info)
    case "reduce-lr":
      notify("plateau: η \(rate("from")) → \(rate("to"))", .info)
    case "reset":
      notify("weights re-initialised", .info)
    case "diverged":
      notify("diverged at step \(event.step) (\(f["where"]?.stringValue ?? "?"), η = \(rate("lr")))", .error)
    case "early-stop":
      notify("early stop (best at epoch \(f["best_epoch"]?.intValue ?? 0))", .info)
    case "save":
      if f["ok"]?.boolValue == true, f["auto"]?.boolValue != true { notify("saved \(f["path"]?.stringValue ?? "")", .info) }
    case "resume-run":
      // The resumed run's own goal (N more epochs), or open-ended.
      snapshot.info.epochs = f["epochs"]?.intValue
      notify("resumed from \(f["from"]?.stringValue ?? "a checkpoint")", .info)
    default:
      break  // pause, resume, step: the replay has its own pause
    }
  }

  private mutating func fold(weights layers: [(w: [Float], b: [Float])]) {
    let shapes = recording.info.layerShapes
    guard layers.count == shapes.count,
      zip(layers, shapes).allSatisfy({ $0.w.count == $1.inputs * $1.outputs && $0.b.count == $1.outputs })
    else { return }
    snapshot.weights = zip(layers, shapes).map { Matrix(rows: $1.outputs, cols: $1.inputs, storage: $0.w) }  // (out, in)
    guard let fieldEvaluator else { return }
    let dense = zip(snapshot.weights, zip(layers, recording.info.activations)).map { DenseLayer(weights: $0, bias: $1.0.b, activation: $1.1) }
    if let network = try? Network(layers: dense, loss: recording.lossFunction ?? .mse) {
      snapshot.field = fieldEvaluator.field(of: network)
    }
  }

  private mutating func notify(_ text: String, _ level: Notice.Level) {
    noticeCount += 1
    snapshot.notice = Notice(text: text, level: level, id: noticeCount)
  }
}
