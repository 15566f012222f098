import RunEvents

/// How a session behaves at its edges.
public struct SessionOptions: Sendable {
  /// Epochs to train (in all, counting a loaded checkpoint's); nil: until stopped.
  public var epochs: Int?
  /// The dashboard keeps the session alive at the end and on divergence
  /// (paused, waiting for keys); headless runs end there.
  public var interactive = false
  /// Start paused (a loaded model opens paused in the dashboard).
  public var startPaused = false
  /// How fast training may go at first (the dashboard's 2-D data sets open
  /// at `Pace.watchable`); headless runs keep full speed.
  public var pace = Pace.full
  /// Seconds between snapshots.
  public var publishInterval = 0.04
  /// Where `s` and the end of the run save the model; nil: `s` picks a name, the end saves nothing.
  public var savePath: String?
  /// `--checkpoint-every`: save to `savePath` after every this many epochs.
  public var checkpointEvery: Int?
  /// The history to start from (a resumed run's, read from its log).
  public var history: History?
  /// `--reduce-lr-on-plateau`.
  public var plateau: PlateauScheduler?
  /// `--early-stop`.
  public var earlyStop: EarlyStopping?
  /// `--force`: saves may replace a file that is not an nntop checkpoint.
  public var force = false
  /// The checkpoint the run resumed (`--load`): training it on without
  /// saving is work `q` would drop, so the dashboard asks.
  public var loadedFrom: String?

  public init() {}
}
