/// The help box over the dashboard: every key from `KeyMap`, and what the
/// panels show.
public struct HelpOverlay {
  public var mode: KeyMap.Mode
  /// The presets to list (from the command line's wiring).
  public var presets: [PresetNote]

  /// A preset's name, the problem it shows and its fix.
  public struct PresetNote: Sendable, Equatable {
    public var name: String
    public var shows: String
    public var fix: String
    public init(name: String, shows: String, fix: String) {
      self.name = name
      self.shows = shows
      self.fix = fix
    }
  }

  public init(mode: KeyMap.Mode = .live, presets: [PresetNote] = []) {
    self.mode = mode
    self.presets = presets
  }

  /// What the gradient panel shows (in a replay, without the keys that
  /// only steer a live run).
  static func panelNotes(_ mode: KeyMap.Mode) -> [String] {
    [
      "Gradient health: ‖∂J/∂W‖ on a log bar, its trend, log10 ‖ΔW‖/‖W‖ (≈ -3), a verdict:",
      "  VANISHING  tiny gradient, or far below the largest layer's",
      "  EXPLODING  huge gradient          DEAD  most ReLUs never fire",
      "  SATURATED  sigmoid/tanh flat      η HIGH / η LOW  update too big / small",
      mode == .live ? "  NaN        the run diverged and paused: r re-initialises, d rolls back" : "  NaN        the run diverged (it paused there)",
      "  OVERFITTING (the run, over the loss) validation loss well above its best",
    ]
  }

  /// Each preset's problem and its fix.
  var presetNotes: [String] {
    guard !presets.isEmpty else { return [] }
    return ["Presets (--preset), one problem each, and the fix:"]
      + presets.flatMap { ["  \(pad($0.name, to: 10)) \($0.shows)", "  \(pad("", to: 10)) fix: \($0.fix)"] }
  }

  /// The lines shown in `height` rows: every key and the closing line
  /// always; the panel notes, then the presets, where they fit.
  func lines(height: Int) -> [String] {
    let keys = KeyMap.bindings(for: mode).map { pad($0.label, to: 7) + $0.help }
    let room = height - 2  // the border
    var lines = keys, omitted = false
    for section in [Self.panelNotes(mode), presetNotes] where !section.isEmpty {
      if lines.count + 1 + section.count + 2 <= room {
        lines += [""] + section
      } else {
        omitted = true
      }
    }
    return lines + ["", omitted ? "any key closes this help · a taller terminal shows more" : "any key closes this help"]
  }

  public func render(_ area: Rect, _ buffer: inout Buffer, theme: Theme, symbols: Symbols) {
    let bindings = KeyMap.bindings(for: mode)
    let lines = lines(height: area.height)
    let width = min((lines.map(\.count).max() ?? 20) + 4, area.width)
    let height = min(lines.count + 2, area.height)
    let box = area.centered(width: width, height: height)
    guard box.width >= 4, box.height >= 3 else { return }
    buffer.fill(box, with: Cell(" ", style: theme.base))
    let inner = Block(title: "nntop keys", highlighted: true).render(box, &buffer, theme: theme, symbols: symbols)
    for (i, line) in lines.prefix(inner.height).enumerated() {
      let style = i < bindings.count ? theme.base : theme.dimmed
      let x = inner.x + 1
      if i < bindings.count {
        let label = pad(bindings[i].label, to: 7)
        let after = buffer.setString(x: x, y: inner.y + i, label, style: theme.accentStyle, maxWidth: inner.width - 1)
        buffer.setString(x: after, y: inner.y + i, bindings[i].help, style: style, maxWidth: inner.right - after)
      } else {
        buffer.setString(x: x, y: inner.y + i, truncate(line, to: inner.width - 1, symbols: symbols), style: style, maxWidth: inner.width - 1)
      }
    }
  }
}
