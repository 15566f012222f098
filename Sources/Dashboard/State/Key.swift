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
  case nextLayer
  case toggleLogScale
  case toggleSmoothing
  case nextTheme
  case save
  case reinitialize
  case rollBack
  case toggleHelp
  case quit
}

/// Every key of the dashboard, in one table (help is generated from it).
public enum KeyMap {
  public struct Binding: Sendable {
    public var label: String
    public var keys: [Key]
    public var action: Action
    public var help: String
  }

  /// η changes by this factor on `+` and `-`.
  public static let learningRateFactor: Float = 2

  public static let bindings: [Binding] = [
    Binding(label: "space", keys: [.character(" ")], action: .togglePause, help: "pause / resume training"),
    Binding(label: "n", keys: [.character("n")], action: .step, help: "one mini-batch step (pauses first)"),
    Binding(label: "+", keys: [.character("+"), .character("=")], action: .learningRateUp, help: "η × 2"),
    Binding(label: "-", keys: [.character("-"), .character("_")], action: .learningRateDown, help: "η ÷ 2"),
    Binding(label: "e", keys: [.character("e")], action: .editLearningRate, help: "type an exact η (Enter sets, Esc cancels)"),
    Binding(label: "Tab", keys: [.tab], action: .nextLayer, help: "next layer in the weights panel"),
    Binding(label: "l", keys: [.character("l")], action: .toggleLogScale, help: "log-scale loss axis"),
    Binding(label: "a", keys: [.character("a")], action: .toggleSmoothing, help: "smooth the curves (debiased EMA)"),
    Binding(label: "t", keys: [.character("t")], action: .nextTheme, help: "next theme"),
    Binding(label: "s", keys: [.character("s")], action: .save, help: "save a checkpoint"),
    Binding(label: "r", keys: [.character("r")], action: .reinitialize, help: "re-initialise the weights"),
    Binding(label: "d", keys: [.character("d")], action: .rollBack, help: "after divergence: last good weights, η ÷ 10"),
    Binding(label: "?", keys: [.character("?"), .character("h")], action: .toggleHelp, help: "this help"),
    Binding(label: "q", keys: [.character("q"), .character("Q")], action: .quit, help: "quit (log flushed, terminal restored)"),
  ]

  public static func action(for key: Key) -> Action? {
    bindings.first { $0.keys.contains(key) }?.action
  }
}
