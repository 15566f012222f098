/// Something that happened to a run at a step: a person's command taking
/// effect, or the run's own doing (a divergence, a plateau's η cut). The run
/// log's `event` line; its JSON is in EventRecord+JSON.swift.
public struct EventRecord: Sendable, Equatable {
  public var step: Int
  public var kind: EventKind
  /// The command this event acknowledges (a watched run's commands file).
  public var commandID: Int?

  public init(step: Int, _ kind: EventKind, commandID: Int? = nil) {
    self.step = step
    self.kind = kind
    self.commandID = commandID
  }
}

/// The events nntop knows, each with its fields; any other is kept by name.
public enum EventKind: Sendable, Equatable {
  case pause
  case resume
  /// `count` single steps asked for (the `n` key).
  case step(count: Int)
  /// η set by a person (`+`, `-`, `e`).
  case learningRate(from: Float, to: Float)
  /// η cut by `--reduce-lr-on-plateau` at the end of `epoch`.
  case reducedLearningRate(epoch: Int, from: Float, to: Float)
  /// Weights re-initialised (`r`).
  case reset
  /// NaN or infinity: `at` names the layer (`layer 2`) or `loss`.
  case diverged(loss: Double, learningRate: Float, at: String)
  /// Back to the best weights before a divergence (`d`), η cut.
  case rollback(toEpoch: Int, fromLearningRate: Float, learningRate: Float)
  /// A checkpoint written (or not: `error` says why); `automatic` for `--checkpoint-every`.
  case save(path: String, ok: Bool, automatic: Bool, error: String?)
  /// `--early-stop`: no improvement since `bestEpoch`.
  case earlyStop(epoch: Int, bestEpoch: Int, bestLoss: Double)
  /// The epochs asked for are done.
  case finished(epoch: Int)
  /// The run began to overfit (the verdict's numbers): its validation loss
  /// has stayed well above its best since epoch `since`.
  case overfitting(since: Int, bestEpoch: Int, bestLoss: Double, validationLoss: Double)
  /// The training pace changed (`<`, `>`): steps a second, nil for full speed.
  case pace(from: Double?, to: Double?)
  /// Asked to stop (`K` on a watched run): the run ends after this step.
  case stop
  /// A command not carried out, and why (a watched run).
  case refused(command: String, reason: String)
  /// A run resumed from a checkpoint taken at this step: the log's lines
  /// after it (training the checkpoint did not keep) no longer count.
  case resumeRun(from: String, epoch: Int, epochs: Int?, learningRate: Float, mode: String)
  /// An event of another source or version, by name, with its fields.
  case other(name: String, fields: JSON)

  /// The `event` field of the log line.
  public var name: String {
    switch self {
    case .pause: "pause"
    case .resume: "resume"
    case .step: "step"
    case .learningRate: "lr"
    case .reducedLearningRate: "reduce-lr"
    case .reset: "reset"
    case .diverged: "diverged"
    case .rollback: "rollback"
    case .save: "save"
    case .earlyStop: "early-stop"
    case .finished: "finished"
    case .overfitting: "overfitting"
    case .pace: "pace"
    case .stop: "stop"
    case .refused: "refused"
    case .resumeRun: "resume-run"
    case .other(let name, _): name
    }
  }

  /// The chart mark of the events that get one (live, replay and plot alike).
  public var markLabel: String? {
    switch self {
    case .learningRate: "η"
    case .reducedLearningRate: "η↓"
    case .reset: "reset"
    case .diverged: "NaN"
    case .rollback: "back"
    case .resumeRun: "resumed"
    default: nil
    }
  }
}
