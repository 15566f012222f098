import Foundation
import Diagnosis
import RunEvents
import NumberFormat

/// Gradient health: a row per layer with ‖∂J/∂W‖ on a log bar, its history,
/// the update ratio ‖ΔW‖/‖W‖ as log10, and a verdict badge; below, the reason
/// for the worst verdict. Verdicts are words as well as colours, so they read
/// in monochrome. When the layers do not all fit (a ResNet has 60 and more),
/// they are listed worst first, and `scroll` moves down the list (↑ ↓).
public struct GradientPanel {
  public var names: [String]
  public var layers: [LayerStatistics]
  public var health: [LayerHealth]
  public var history: [Series]
  public var selected: Int
  /// Rows scrolled past, when the layers do not all fit.
  public var scroll: Int
  /// A distributed run's smallest and largest ‖∂J/∂W‖ over ranks, per layer:
  /// shown where the history is.
  public var spread: [ClosedRange<Double>] = []

  public init(names: [String], layers: [LayerStatistics], health: [LayerHealth], history: [Series], selected: Int, scroll: Int = 0) {
    self.names = names
    self.layers = layers
    self.health = health
    self.history = history
    self.selected = selected
    self.scroll = scroll
  }

  /// The layers in the order they are listed when they do not all fit:
  /// the worst verdict first, then in network order.
  func worstFirst() -> [Int] {
    names.indices.sorted { a, b in
      let sa = a < health.count ? health[a].status : .ok, sb = b < health.count ? health[b].status : .ok
      return sa != sb ? sa > sb : a < b
    }
  }

  /// Rows the panel wants at `width` columns: a header, the layers, and the
  /// notes on flagged layers.
  public func preferredHeight(width: Int) -> Int { names.count + 1 + notes(width: width, rows: .max).count }

  /// `0.12–0.15` where it fits, else how far the ranks are from their mean (`±1.2%`).
  static func spreadText(_ range: ClosedRange<Double>, width: Int) -> String {
    let whole = "\(ChartFormat.compact(range.lowerBound))–\(ChartFormat.compact(range.upperBound))"
    guard whole.count > width else { return whole }
    let mean = (range.lowerBound + range.upperBound) / 2
    return mean > 0 ? "±" + ChartFormat.percent((range.upperBound - range.lowerBound) / 2 / mean) : "±0"
  }

  static func color(_ status: HealthStatus, _ theme: Theme) -> Color {
    switch status {
    case .ok: theme.ok
    case .learningRateLow, .learningRateHigh, .saturated, .dead, .vanishing: theme.warn
    case .exploding, .nan: theme.bad
    }
  }

  /// One line under the layer rows: a flagged layer's reason, or the hint
  /// (what to try) shared by the reasons above it.
  struct Note: Equatable {
    var text: String
    var status: HealthStatus
  }

  /// What is wrong and what to try, worst first, in at most `rows` lines of
  /// `width`: the layers that share a hint are listed, then the hint once,
  /// wrapped. When rows run short, a group keeps its first reason and its
  /// hint before its other reasons, and its hint before any reason (the
  /// badges already say which layers).
  func notes(width: Int, rows: Int) -> [Note] {
    // Whole reasons where they all fit; else one line each.
    let whole = notes(width: width, rows: .max, wrappingReasons: true)
    return whole.count <= rows ? whole : notes(width: width, rows: rows, wrappingReasons: false)
  }

  private func notes(width: Int, rows: Int, wrappingReasons: Bool) -> [Note] {
    guard width > 0 else { return [] }
    let flagged = health.filter { $0.status != .ok }.sorted { $0.status > $1.status }
    var groups: [(hint: String, items: [LayerHealth])] = []
    for verdict in flagged {
      if let g = groups.firstIndex(where: { $0.hint == verdict.hint }) {
        groups[g].items.append(verdict)
      } else {
        groups.append((verdict.hint, [verdict]))
      }
    }
    var notes: [Note] = []
    for group in groups where notes.count < rows {
      let status = group.items[0].status
      let hint = wrap(group.hint, to: width - 4).enumerated().map { Note(text: ($0.offset == 0 ? "  → " : "    ") + $0.element, status: status) }
      let reasons = group.items.flatMap { item in
        wrappingReasons
          ? wrap("⚠ " + item.reason, to: width).enumerated().map { Note(text: ($0.offset == 0 ? "" : "  ") + $0.element, status: item.status) }
          : [Note(text: truncate("⚠ " + item.reason, to: width), status: item.status)]
      }
      let left = rows - notes.count
      let shownReasons = hint.isEmpty ? left : min(reasons.count, left - hint.count)
      notes += (reasons.prefix(max(shownReasons, 0)) + hint).prefix(left)
    }
    return notes
  }

  public func render(_ area: Rect, _ buffer: inout Buffer, theme: Theme, symbols: Symbols) {
    guard area.width > 0, area.height > 0 else { return }
    guard !names.isEmpty else {
      // A source that logs curves only (a CSV logger's file).
      buffer.setString(x: area.x, y: area.y, truncate("no per-layer statistics in this log", to: area.width, symbols: symbols), style: theme.dimmed)
      return
    }
    let nameWidth = min(max(names.map(\.count).max() ?? 5, 5), max(area.width / 3, 2))
    let badgeWidth = 9, ratioWidth = 5, valueWidth = 7
    let flexible = area.width - nameWidth - badgeWidth - ratioWidth - valueWidth - 5
    // The ranks' min–max takes the history's place, and room from the bar where it needs it.
    let spreadWidth = spread.isEmpty ? 0 : min(spread.map { Self.spreadText($0, width: .max).count }.max() ?? 0, flexible * 2 / 3)
    let sparkWidth = flexible >= 16 ? max(flexible / 3, spreadWidth) : 0
    let barWidth = max(flexible - sparkWidth - (sparkWidth > 0 ? 1 : 0), 0)
    // Rows: the layers first (with a "+N more" line when they do not all
    // fit beside two lines of notes), then up to three lines of notes, then
    // the header, then the rest of the notes.
    let wanted = notes(width: area.width, rows: .max).count
    let cut = names.count + min(wanted, 2) > area.height
    let shownLayers = cut ? max(area.height - min(wanted, 2) - 1, 0) : names.count
    let layerRows = shownLayers + (cut ? 1 : 0)
    let showHeader = !cut && area.height - layerRows - min(wanted, 3) >= 1
    let order = cut ? worstFirst() : Array(names.indices)
    let first = cut ? min(max(scroll, 0), max(names.count - shownLayers, 0)) : 0
    let listed = Array(order[first..<min(first + shownLayers, order.count)])
    let notes = notes(width: area.width, rows: area.height - layerRows - (showHeader ? 1 : 0))
    var y = area.y
    /// Writes clipped to the panel.
    func put(_ x: Int, _ text: String, _ style: Style) -> Int {
      buffer.setString(x: x, y: y, text, style: style, maxWidth: max(area.right - x, 0))
    }
    if showHeader {
      var x = area.x
      x = put(x, pad("layer", to: nameWidth + 1), theme.dimmed)
      // The gradient column: the bar (if any) and the value.
      let gradientWidth = barWidth > 0 ? barWidth + valueWidth + 2 : valueWidth + 1
      x = put(x, pad(gradientWidth > 20 ? "‖∂J/∂W‖ (log scale)" : "‖∂J/∂W‖", to: gradientWidth), theme.dimmed)
      if sparkWidth > 0 {
        let title = spread.isEmpty ? (sparkWidth >= 7 ? "history" : "trend") : (sparkWidth >= 13 ? "ranks min–max" : sparkWidth >= 7 ? "min–max" : "spread")
        x = put(x, pad(title, to: sparkWidth + 1), theme.dimmed)
      }
      x = put(x, pad("ΔW/W", to: ratioWidth + 1), theme.dimmed)
      _ = put(x, "verdict", theme.dimmed)
      y += 1
    }
    for l in listed where y < area.bottom {
      let name = names[l]
      let stats = l < layers.count ? layers[l] : nil
      let verdict = l < health.count ? health[l] : LayerHealth(status: .ok)
      let rowStyle = l == selected ? theme.base.bolded : theme.base
      var x = area.x
      x = put(x, pad(truncate(name, to: nameWidth, symbols: symbols), to: nameWidth + 1), rowStyle)
      guard let stats else {
        _ = put(x, "waiting…", theme.dimmed)
        y += 1
        continue
      }
      let color = Self.color(verdict.status, theme)
      if barWidth > 0 {
        LogBar(value: stats.gradientNorm, color: color).render(Rect(x: x, y: y, width: barWidth, height: 1), &buffer, theme: theme, symbols: symbols)
        x += barWidth + 1
      }
      x = put(x, pad(ChartFormat.compact(stats.gradientNorm), to: valueWidth, alignRight: true), rowStyle)
      x += 1
      if sparkWidth > 0, l < spread.count {
        _ = put(x, truncate(Self.spreadText(spread[l], width: sparkWidth), to: sparkWidth, symbols: symbols), theme.dimmed)
        x += sparkWidth + 1
      } else if sparkWidth > 0 {
        if l < history.count {
          Sparkline(series: history[l], color: theme.train).render(Rect(x: x, y: y, width: sparkWidth, height: 1), &buffer, theme: theme, symbols: symbols)
        }
        x += sparkWidth + 1
      }
      let ratio = stats.updateRatio > 0 && stats.updateRatio.isFinite ? fixed(log10(stats.updateRatio), 1) : "-"
      x = put(x, pad(ratio, to: ratioWidth, alignRight: true), rowStyle)
      x += 1
      _ = put(x, pad(verdict.status.badge, to: badgeWidth), theme.badge(color, emphasis: verdict.status != .ok))
      y += 1
    }
    if cut && y < area.bottom {
      let hidden = Set(names.indices).subtracting(listed)
      let flagged = hidden.filter { $0 < health.count && health[$0].status != .ok }.count
      let above = first > 0 ? "↑ \(first) above · " : ""
      let below = names.count - first - listed.count
      let text = "\(above)+\(below) more, worst first\(flagged > 0 ? " (\(flagged) flagged)" : "") · ↑↓ scroll"
      _ = put(area.x, truncate(text, to: area.width, symbols: symbols), theme.dimmed)
      y += 1
    }
    for note in notes where y < area.bottom {
      _ = put(area.x, truncate(note.text, to: area.width, symbols: symbols), theme.badge(Self.color(note.status, theme), emphasis: false))
      y += 1
    }
  }
}
