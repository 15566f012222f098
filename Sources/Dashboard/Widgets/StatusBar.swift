import RunEvents
import NumberFormat

/// The bottom line: state badge, epoch, step, η, batch, throughput, time and
/// data set; on the right the latest notice or the key hint. While η is being
/// typed, the line becomes the prompt.
public struct StatusBar {
  public var snapshot: RunView?
  public var notice: Notice?
  public var entry: String?
  /// A question waiting for a key: the line becomes it (the first of its
  /// wordings that fits, longest first).
  public var question: [String]?
  /// Replay speed and position (0…1), when playing back a run log.
  public var replay: (speed: Double, progress: Double)?
  /// With runs compared: the one shown and steered (`B vanishing`).
  public var run: String?

  public init(snapshot: RunView?, notice: Notice?, entry: String?) {
    self.snapshot = snapshot
    self.notice = notice
    self.entry = entry
  }

  static func stateColor(_ state: RunState, _ theme: Theme) -> Color {
    switch state {
    case .running: theme.running
    case .paused, .stopped: theme.paused
    case .finished: theme.finished
    case .diverged: theme.diverged
    }
  }

  public func render(_ area: Rect, _ buffer: inout Buffer, theme: Theme, symbols: Symbols) {
    guard area.width > 0, area.height > 0 else { return }
    buffer.fill(area, with: Cell(" ", style: theme.base))
    if let question, let shortest = question.last {
      let x = buffer.setString(x: area.x, y: area.y, " ? ", style: theme.badge(theme.warn, emphasis: true), maxWidth: area.width)
      let room = max(area.right - x - 1, 0)
      let text = question.first { $0.count <= room } ?? truncate(shortest, to: room, symbols: symbols)
      buffer.setString(x: x + 1, y: area.y, text, style: theme.base.bolded, maxWidth: room)
      return
    }
    if let entry {
      let current = snapshot.map { " (now \(shortNumber($0.learningRate)))" } ?? ""
      var x = buffer.setString(x: area.x, y: area.y, " η = ", style: theme.accentStyle, maxWidth: area.width)
      x = buffer.setString(x: x, y: area.y, entry, style: theme.base.bolded, maxWidth: max(area.right - x, 0))
      if x < area.right { buffer[x, area.y] = Cell(symbols.cursor, style: theme.accentStyle) }
      buffer.setString(x: x + 2, y: area.y, "Enter sets, Esc cancels\(current)", style: theme.dimmed, maxWidth: max(area.right - x - 2, 0))
      renderNotice(area, &buffer, theme: theme, symbols: symbols, after: x + 30 + current.count)
      return
    }
    guard let s = snapshot else {
      buffer.setString(x: area.x, y: area.y, " starting…", style: theme.dimmed, maxWidth: area.width)
      return
    }
    let color = Self.stateColor(s.state, theme)
    let badge = replay.map { r in " REPLAY \(Self.speed(r.speed)) \(s.state == .paused ? "‖" : s.state == .finished ? "■" : "▶") " } ?? " \(s.state.rawValue) "
    var style = theme.monochrome ? Style(reverse: true) : Style(fg: theme.background == .default ? .indexed(0) : theme.background, bg: color, bold: true)
    style.bold = true
    var x = buffer.setString(x: area.x, y: area.y, badge, style: style, maxWidth: area.width)
    let epochs = s.info.epochs.map { "/\($0)" } ?? ""
    // Each part with its rank: when the line is short, the lowest rank goes first.
    var parts: [(text: String, rank: Int)] = [
      ("epoch \(s.epoch)\(epochs) \(Int(s.epochProgress * 100))%", 6),
      ("step \(s.step.grouped)", 7),
      ("η \(s.learningRate.isFinite ? shortNumber(s.learningRate) : "–")", 5),
      ("batch \(s.batchSize)", 1),
      // The throughput is of training now: none while it waits for a key.
      s.state == .running ? ("\(ChartFormat.count(s.samplesPerSecond)) samples/s", 4) : (s.state == .paused ? "paused" : "", 5),
      (ChartFormat.duration(s.trainingTime), 3),
      (s.info.dataName, 2),
    ]
    // A replay plays on its own clock: the recorded pace is not its speed.
    if s.pace.stepsPerSecond != nil && replay == nil { parts.insert(("pace \(s.pace.label)", 5), at: 4) }
    parts.removeAll { $0.text.isEmpty }
    // A source that logs curves only (TensorBoard, a CSV logger) knows no epoch length, batch or clock.
    if s.batchSize == 0 && s.trainingTime == 0 {
      parts.removeAll { $0.text.hasPrefix("batch ") || $0.text.hasSuffix("samples/s") || $0.text == "paused" || $0.rank == 3 }
      if s.info.epochs == nil && s.epoch == 0 { parts.removeAll { $0.rank == 6 } }
    }
    if let run { parts.insert((run, 9), at: 0) }
    if let replay { parts.insert(("\(Int((replay.progress * 100).rounded()))% of the log", 8), at: 0) }
    if let origin = s.origin { parts.append((origin, 8)) }
    // A notice takes the room it needs (up to half the line) from the right.
    let reserved = notice.map { min($0.text.count, area.width / 2) + 2 } ?? 16
    let room = area.right - x - 1 - reserved
    while parts.map(\.text).joined(separator: "  ").count > room,
      let lowest = parts.indices.min(by: { parts[$0].rank < parts[$1].rank }), parts[lowest].rank < 5
    {
      parts.remove(at: lowest)
    }
    if parts.map(\.text).joined(separator: "  ").count > room, let origin = s.origin, let i = parts.firstIndex(where: { $0.text == origin }) {
      // Too long still: the origin keeps its news (`process gone`), not the host.
      parts[i].text = origin.split(separator: "·").last.map { $0.trimmingCharacters(in: .whitespaces) } ?? origin
    }
    x = buffer.setString(x: x + 1, y: area.y, parts.map(\.text).joined(separator: "  "), style: theme.base, maxWidth: max(area.right - x - 1, 0))
    renderNotice(area, &buffer, theme: theme, symbols: symbols, after: x + 2)
  }

  /// `×1`, `×4`, `×1/8`, `×3.5`.
  static func speed(_ v: Double) -> String {
    if v < 1, v > 0, (1 / v).rounded() == 1 / v { return "×1/\(Int(1 / v))" }
    return "×" + general(v)
  }

  private func renderNotice(_ area: Rect, _ buffer: inout Buffer, theme: Theme, symbols: Symbols, after start: Int) {
    let room = area.right - start - 1
    let text: String, style: Style
    if let notice {
      text = notice.text
      switch notice.level {
      case .info: style = theme.accentStyle
      case .warning: style = theme.badge(theme.warn, emphasis: true)
      case .error: style = theme.badge(theme.bad, emphasis: true)
      }
    } else {
      text = "?:help  q:quit"
      style = theme.dimmed
    }
    guard room >= min(text.count, 12) else { return }
    let shown = truncate(text, to: room, symbols: symbols)
    buffer.setString(x: area.right - 1 - shown.count, y: area.y, shown, style: style)
  }
}
