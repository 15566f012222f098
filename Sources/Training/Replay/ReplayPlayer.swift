import Datasets
import Foundation
import NeuralNet
import Diagnosis
import RunEvents

/// Plays a recorded run (`RunRecording`) back as the views the live session
/// published: the clock runs on the run's training time (pauses excluded)
/// times `speed`, and every event up to the clock is folded into the view by
/// the one reducer (`RunView.apply`). The decision field of 2-D data is
/// computed here from the recorded weights. Seeking back replays from the
/// start (folding is fast: a log holds a few lines per second of training).
public struct ReplayPlayer {
  /// Speeds `+` and `-` step through.
  public static let speeds: [Double] = (-12...8).map { Foundation.pow(2, Double($0)) }

  public let recording: RunRecording
  public private(set) var view: RunView
  /// Events folded in so far.
  public private(set) var cursor = 0
  /// Where playback is, in seconds of the recorded run's training time.
  public private(set) var clock = 0.0
  public private(set) var speed: Double
  public private(set) var paused = false
  /// The recorded run's training time.
  public let duration: Double

  /// Each event's place on the clock (events and weights take the time of the sample before them).
  private let times: [Double]
  private let fieldEvaluator: DecisionFieldEvaluator?

  /// A player at the start of `recording`, at a speed that plays the whole
  /// run in 10 to 60 seconds where it can (a run of a second is slowed down,
  /// one of an hour sped up).
  public init(recording: RunRecording) {
    // A watched run's log carries statistics only: judged here, as they were live.
    let recording = HealthMonitor.judged(recording)
    self.recording = recording
    var times: [Double] = []
    var last = 0.0
    for event in recording.events {
      switch event {
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
    view = RunView(header: recording.header)
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
  /// true when the view changed.
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
  /// end, past the last event); true when the view changed.
  @discardableResult
  public mutating func seek(to time: Double) -> Bool {
    let toEnd = time == .infinity
    let target = toEnd ? duration : min(max(time, 0), duration)
    var changed = false
    if (target < clock || time <= 0) && cursor > 0 {
      let notice = view.notice  // its id goes on counting: a notice after the seek is new
      view = RunView(header: recording.header)
      view.notice = notice
      cursor = 0
      changed = true
    }
    clock = target
    var weights: WeightsRecord?
    while cursor < times.count, toEnd || times[cursor] <= clock {
      let event = recording.events[cursor]
      view.apply(event)
      if case .weights(let w) = event { weights = w }
      if case .summary = event { view.notify("end of the recording: \(view.notice?.text ?? "the run ended")", .info) }
      cursor += 1
      changed = true
    }
    if let weights { updateField(weights) }
    if atEnd, !recording.complete {
      view.notify("the log ends without a summary: the run was killed or is still going", .warning)
    }
    updateState()
    return changed
  }

  /// The replay has its own pause: the recorded run's state is not shown.
  private mutating func updateState() {
    view.state = atEnd ? .finished : paused ? .paused : .running
  }

  /// The decision field of the recorded weights (2-D classification).
  private mutating func updateField(_ record: WeightsRecord) {
    let activations = recording.info.activations.compactMap(Activation.init(rawValue:))
    guard let fieldEvaluator, let weights = record.matrices(recording.info.layerShapes), activations.count == weights.count else { return }
    let layers = zip(weights, zip(record.layers, activations)).map { w, pair in
      DenseLayer(weights: Matrix(rows: w.rows, cols: w.cols, storage: w.storage), bias: pair.0.bias, activation: pair.1)  // (out, in)
    }
    guard let network = try? Network(layers: layers, loss: recording.header.lossFunction.flatMap(Loss.init(rawValue:)) ?? .mse) else { return }
    view.field = fieldEvaluator.field(of: network)
  }
}
