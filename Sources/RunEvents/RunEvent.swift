/// One thing a run tells its watchers, in the order it happened: every
/// source (the built-in trainer, a replayed log, a watched PyTorch run)
/// speaks this, the run log stores it (RunEvent+JSON.swift), and one
/// reducer folds it into what the dashboard draws (RunView+Reduce.swift).
public enum RunEvent: Sendable, Equatable {
  /// What is trained on what: the log's first line.
  case run(RunHeader)
  /// The curves since the last sample, and the layers at this step.
  case sample(RunSample)
  case weights(WeightsRecord)
  case epoch(EpochRecord)
  case event(EventRecord)
  /// How the run ended: the log's last line.
  case summary(RunSummary)

  /// The step it happened at (a header or summary: none).
  public var step: Int? {
    switch self {
    case .run, .summary: nil
    case .sample(let s): s.step
    case .weights(let w): w.step
    case .epoch(let e): e.step
    case .event(let e): e.step
    }
  }
}

extension RunSummary: Equatable {
  public static func == (a: RunSummary, b: RunSummary) -> Bool {
    a.ending == b.ending && a.epochs == b.epochs && a.steps == b.steps && a.time == b.time && a.last == b.last && a.best == b.best
  }
}
