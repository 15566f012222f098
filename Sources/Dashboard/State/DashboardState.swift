import RunEvents

/// Everything the dashboard shows, besides the snapshot: what the person at
/// the keyboard has chosen. Changed only by `update`.
public struct DashboardState: Sendable {
  /// The run the panels show: with runs compared, the selected one's view.
  public var snapshot: RunView?
  /// Runs compared (`watch A B`, `replay A B`): the charts overlay them all.
  public var compared: [ComparedRun] = []
  /// The compared run the panels, the status line and the keys are for (Tab).
  public var selectedRun = 0
  public var width: Int
  public var height: Int
  /// The layer the weights panel shows.
  public var selectedLayer = 0
  /// What the metric panel shows: 0 the accuracy (or RMSE), k the k-th of the
  /// snapshot's other series (`m`).
  public var metricChoice = 0
  /// Layers scrolled past in the gradient panel.
  public var gradientScroll = 0
  public var logScale = false
  /// EMA weight for the curves; 0 is off.
  public var smoothing = 0.0
  /// `w`: the curves show the last `recentFraction` of the steps (following
  /// the run) instead of the whole run.
  public var recentWindow = false
  public var themes: [Theme]
  public var themeIndex = 0
  public var symbols: Symbols
  public var showHelp = false
  /// The η being typed after `e`; nil when not typing.
  public var learningRateEntry: String?
  /// A note of the dashboard's own (a bad η typed), shown until `noteUntil`.
  public var note: Notice?
  public var noteUntil = 0.0
  /// When the snapshot's current notice was first shown, to time it out, and
  /// its place in `noticeCount`.
  public var noticeSeen: (id: Int, at: Double, order: Int)?
  /// Notices are counted as they come, the dashboard's own and the
  /// snapshot's alike, and the newer one is shown: a key and a snapshot in
  /// one tick have the same time (and `noteUntil − 4` is not always that
  /// time again, in floating point).
  var noticeCount = 0
  var noteOrder = 0
  /// Where the last key press falls among the notices: what comes after it answers it.
  var keyOrder = 0
  /// Notes given while one is showing (the opening ones), shown in turn.
  var pendingNotes: [(text: String, level: Notice.Level)] = []
  /// Seconds since the dashboard started (from ticks).
  public var now = 0.0
  /// Where `s` saves.
  public var savePath: String
  /// A question waiting for its answer key; other keys wait with it.
  public var question: Question?
  /// Live training, or a run log played back.
  public let mode: KeyMap.Mode
  /// The replay's speed and position (0…1), shown on the status line.
  public var replaySpeed: Double = 1
  public var replayProgress: Double = 0
  /// What the screen says before the first view (a watched run not started yet).
  public var waitingNote = "nntop: starting…"
  /// The presets the help lists.
  public var presets: [HelpOverlay.PresetNote] = []

  public var isComparing: Bool { compared.count > 1 }

  public static let noticeSeconds = 4.0
  public static let smoothingWeight = 0.6
  public static let recentFraction = 0.1

  /// The window the curves show: the last `recentFraction` of the steps, or nil for the whole run.
  public var curveWindow: Double? { recentWindow ? Self.recentFraction : nil }

  /// What the chart titles say of how the curves are drawn: `log · smoothed
  /// · last 10% of steps` (the accuracy is always smoothed: it says nothing of it).
  public func curveFlags(logScale: Bool, smoothing says: Bool = true) -> [String] {
    var flags: [String] = []
    if logScale { flags.append("log") }
    if says && smoothing > 0 { flags.append("smoothed") }
    if recentWindow { flags.append("last \(Int(Self.recentFraction * 100))% of steps") }
    return flags
  }
  public static let minimumWidth = 80
  public static let minimumHeight = 24

  public init(width: Int, height: Int, themes: [Theme], themeIndex: Int = 0, symbols: Symbols = .unicode, savePath: String, mode: KeyMap.Mode = .live) {
    self.mode = mode
    self.width = width
    self.height = height
    self.themes = themes.isEmpty ? [BuiltinThemes.standard] : themes
    self.themeIndex = min(max(themeIndex, 0), self.themes.count - 1)
    self.symbols = symbols
    self.savePath = savePath
  }

  public var theme: Theme { themes[themeIndex] }

  /// Before a key that would drop work: asked on the status line.
  public enum Question: Sendable, Equatable {
    /// `q` on a loaded model trained since it was last saved.
    case saveBeforeQuit
    /// `r` after more than `reinitializeAskSeconds` of training.
    case reinitialize
    /// `K`: stop a watched run's training process.
    case stopRun

    /// The prompt, with its answers; without the path where that is too long.
    public func prompt(savePath: String?) -> String {
      switch self {
      case .saveBeforeQuit: "unsaved training: s saves\(savePath.map { " to \($0)" } ?? "") and quits · q quits unsaved · Esc goes on"
      case .reinitialize: "re-initialise the weights and lose this training? y / n"
      case .stopRun: "stop the training process? y / n"
      }
    }
  }

  /// Training time after which `r` asks first.
  public static let reinitializeAskSeconds = 60.0

  public var layerCount: Int { snapshot?.info.layerNames.count ?? 0 }

  /// The notice to show now: the newer of the dashboard's own note and the
  /// trainer's latest notice, each for `noticeSeconds` — except that the
  /// trainer's news (`pace: 10 steps/s`) does not hide a warning of the
  /// dashboard's own while it lasts (how a file was read, a theme not
  /// loaded), unless a key was pressed since: then it may be the answer.
  public var visibleNotice: Notice? {
    let own = note.flatMap { now < noteUntil ? $0 : nil }
    guard let notice = snapshot?.notice, let seen = noticeSeen, seen.id == notice.id, now - seen.at < Self.noticeSeconds else {
      return own
    }
    guard let own else { return notice }
    let outranked = notice.level == .info && own.level == .warning && keyOrder < noteOrder
    return seen.order > noteOrder && !outranked ? notice : own
  }
}
