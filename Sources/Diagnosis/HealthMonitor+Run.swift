import RunEvents

extension HealthMonitor {
  /// A monitor for the run a header describes (its activations by name).
  public init(thresholds: HealthThresholds, header: RunHeader) {
    self.init(thresholds: thresholds, families: header.info.activations.map(ActivationFamily.init(activationName:)), builtIn: header.source == "nntop")
    layerNames = header.info.moduleNames
  }

  /// `sample` with its layers judged here: a source other than nntop's own
  /// engine sends statistics, never verdicts. A sample without layers is
  /// returned as it is.
  public mutating func judge(_ sample: RunSample) -> RunSample {
    overfitting.observe(lossSum: sample.loss.sum, count: sample.loss.count)
    guard !sample.layers.isEmpty else { return sample }
    var judged = sample
    observe(sample.layers)
    judged.health = judge(sample.layers)
    return judged
  }

  /// The recording's samples and epochs judged in order, when its source
  /// sends no verdicts.
  public static func judged(_ recording: RunRecording, thresholds: HealthThresholds = HealthThresholds()) -> RunRecording {
    guard recording.header.source != "nntop" else { return recording }
    var monitor = HealthMonitor(thresholds: thresholds, header: recording.header)
    var copy = recording
    copy.events = recording.events.map { event in
      switch event {
      case .sample(let sample): .sample(monitor.judge(sample))
      case .epoch(let record): .epoch(monitor.judge(record))
      default: event
      }
    }
    return copy
  }
}
