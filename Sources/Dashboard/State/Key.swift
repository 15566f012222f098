/// A key press, as the terminal backend reports it.
public enum Key: Sendable, Hashable {
  case character(Character)
  case tab
  case backTab
  case enter
  case escape
  case backspace
  case delete
  case up
  case down
  case left
  case right
  case home
  case end
}

/// What a key asks the dashboard to do.
public enum Action: Sendable, Hashable, CaseIterable {
  case togglePause
  case step
  case learningRateUp
  case learningRateDown
  case editLearningRate
  /// Next layer; with runs compared, the next run.
  case nextLayer
  case nextLayerWhileComparing
  /// The metric panel shows the next other series the source logs.
  case nextMetric
  /// Scroll the gradient panel's layers (when they do not all fit).
  case scrollUp
  case scrollDown
  case toggleLogScale
  case toggleSmoothing
  /// The curves: the whole run, or the last 10 % of its steps.
  case toggleWindow
  /// The built-in trainer's pace, one rung slower or faster.
  case paceSlower
  case paceFaster
  case nextTheme
  case save
  case reinitialize
  case rollBack
  /// Stop a watched run's training process (asks first).
  case stopRun
  case toggleHelp
  case quit
  // Replay only.
  case faster
  case slower
  case seekStart
  case seekEnd
  case seekBack
  case seekForward
}

/// Every key of the dashboard, in one table (help is generated from it).
public enum KeyMap {
  public struct Binding: Sendable {
    public var label: String
    public var keys: [Key]
    public var action: Action
    public var help: String
    /// The modes the key works in.
    public var modes: Set<Mode> = [.live, .replay, .watch]
  }

  /// Training here, a run log played back, or a run nntop did not train followed live.
  public enum Mode: Sendable, Hashable { case live, replay, watch }

  /// η changes by this factor on `+` and `-`.
  public static let learningRateFactor: Float = 2

  public static let bindings: [Binding] = [
    Binding(label: "space", keys: [.character(" ")], action: .togglePause, help: "pause / resume training", modes: [.live, .watch]),
    Binding(label: "space", keys: [.character(" ")], action: .togglePause, help: "pause / resume the replay", modes: [.replay]),
    Binding(label: "n", keys: [.character("n")], action: .step, help: "one mini-batch step (pauses first)", modes: [.live, .watch]),
    Binding(label: "+ - e", keys: [.character("+"), .character("=")], action: .learningRateUp, help: "η × 2 / η ÷ 2 / type an exact η (Enter sets, Esc cancels)", modes: [.live, .watch]),
    Binding(label: "", keys: [.character("-"), .character("_")], action: .learningRateDown, help: "", modes: [.live, .watch]),
    Binding(label: "", keys: [.character("e")], action: .editLearningRate, help: "", modes: [.live, .watch]),
    Binding(label: "+ -", keys: [.character("+"), .character("=")], action: .faster, help: "play twice / half as fast", modes: [.replay]),
    Binding(label: "", keys: [.character("-"), .character("_")], action: .slower, help: "", modes: [.replay]),
    Binding(label: "Home", keys: [.home, .character("g")], action: .seekStart, help: "jump to the start", modes: [.replay]),
    Binding(label: "End", keys: [.end, .character("G")], action: .seekEnd, help: "jump to the end", modes: [.replay]),
    Binding(label: "←", keys: [.left, .character("[")], action: .seekBack, help: "back a twentieth of the run", modes: [.replay]),
    Binding(label: "→", keys: [.right, .character("]")], action: .seekForward, help: "forward a twentieth of the run", modes: [.replay]),
    Binding(label: "Tab", keys: [.tab], action: .nextLayer, help: "next layer; comparing runs: the next run (S-Tab: the next layer)"),
    Binding(label: "", keys: [.backTab], action: .nextLayerWhileComparing, help: ""),
    Binding(label: "m", keys: [.character("m")], action: .nextMetric, help: "metric panel: the next other logged series (tags, columns)"),
    Binding(label: "↑ ↓", keys: [.up], action: .scrollUp, help: "scroll the layers (when they do not all fit: worst first)"),
    Binding(label: "", keys: [.down], action: .scrollDown, help: ""),
    Binding(label: "l a", keys: [.character("l")], action: .toggleLogScale, help: "log-scale loss axis / smooth the curves (debiased EMA)"),
    Binding(label: "", keys: [.character("a")], action: .toggleSmoothing, help: ""),
    Binding(label: "w", keys: [.character("w")], action: .toggleWindow, help: "curves: the whole run / the last 10% of its steps"),
    Binding(label: "< >", keys: [.character("<")], action: .paceSlower, help: "training pace: slower / faster (full, 10k, 1k, 100, 10 steps/s)", modes: [.live]),
    Binding(label: "", keys: [.character(">")], action: .paceFaster, help: "", modes: [.live]),
    // Elsewhere the keys say why they do nothing.
    Binding(label: "", keys: [.character("<")], action: .paceSlower, help: "", modes: [.replay, .watch]),
    Binding(label: "", keys: [.character(">")], action: .paceFaster, help: "", modes: [.replay, .watch]),
    Binding(label: "t", keys: [.character("t")], action: .nextTheme, help: "next theme"),
    Binding(label: "s", keys: [.character("s")], action: .save, help: "save a checkpoint", modes: [.live]),
    Binding(label: "s", keys: [.character("s")], action: .save, help: "write checkpoints/step-S.safetensors in the run directory", modes: [.watch]),
    Binding(label: "K", keys: [.character("K")], action: .stopRun, help: "stop the training process (asks y / n)", modes: [.watch]),
    Binding(label: "r", keys: [.character("r")], action: .reinitialize, help: "re-initialise the weights (asks after a minute of training)", modes: [.live]),
    Binding(label: "d", keys: [.character("d")], action: .rollBack, help: "after divergence: the best weights before it, η ÷ 10", modes: [.live]),
    Binding(label: "?", keys: [.character("?"), .character("h")], action: .toggleHelp, help: "this help"),
    Binding(label: "q", keys: [.character("q"), .character("Q")], action: .quit, help: "quit (asks first if a loaded model has unsaved training)", modes: [.live, .replay]),
    Binding(label: "q", keys: [.character("q"), .character("Q")], action: .quit, help: "quit the dashboard (the run goes on training)", modes: [.watch]),
  ]

  /// The bindings of one mode, in table order, as the help lists them (a
  /// binding without help shares the line above it: ↑ and ↓).
  public static func bindings(for mode: Mode) -> [Binding] { bindings.filter { $0.modes.contains(mode) && !$0.help.isEmpty } }

  public static func action(for key: Key, mode: Mode) -> Action? {
    bindings.first { $0.modes.contains(mode) && $0.keys.contains(key) }?.action  // every binding, with help or not
  }
}
