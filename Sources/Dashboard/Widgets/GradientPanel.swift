import Foundation
import Training

/// Gradient health: a row per layer with ‖∂J/∂W‖ on a log bar, its history,
/// the update ratio ‖ΔW‖/‖W‖ as log10, and a verdict badge; below, the reason
/// for the worst verdict. Verdicts are words as well as colours, so they read
/// in monochrome.
public struct GradientPanel {
  public var names: [String]
  public var layers: [LayerStatistics]
  public var health: [LayerHealth]
  public var history: [Series]
  public var selected: Int

  public init(names: [String], layers: [LayerStatistics], health: [LayerHealth], history: [Series], selected: Int) {
    self.names = names
    self.layers = layers
    self.health = health
    self.history = history
    self.selected = selected
  }

  /// Rows the panel wants: a header, the layers, a hint per flagged layer.
  public var preferredHeight: Int { names.count + 1 + health.filter { $0.status != .ok }.count }

  static func color(_ status: HealthStatus, _ theme: Theme) -> Color {
    switch status {
    case .ok: theme.ok
    case .learningRateLow, .learningRateHigh, .saturated, .dead, .vanishing: theme.warn
    case .exploding, .nan: theme.bad
    }
  }

  public func render(_ area: Rect, _ buffer: inout Buffer, theme: Theme, symbols: Symbols) {
    guard area.width > 0, area.height > 0 else { return }
    let nameWidth = min(max(names.map(\.count).max() ?? 2, 2), max(area.width / 3, 2))
    let badgeWidth = 9, ratioWidth = 5, valueWidth = 7
    let flexible = area.width - nameWidth - badgeWidth - ratioWidth - valueWidth - 5
    let sparkWidth = flexible >= 16 ? flexible / 3 : 0
    let barWidth = max(flexible - sparkWidth - (sparkWidth > 0 ? 1 : 0), 0)
    var y = area.y
    /// Writes clipped to the panel.
    func put(_ x: Int, _ text: String, _ style: Style) -> Int {
      buffer.setString(x: x, y: y, text, style: style, maxWidth: max(area.right - x, 0))
    }
    // Header.
    if area.height > names.count {
      var x = area.x
      x = put(x, pad("layer", to: nameWidth + 1), theme.dimmed)
      if barWidth > 0 { x = put(x, pad("‖∂J/∂W‖ (log scale)", to: barWidth + valueWidth + 2), theme.dimmed) }
      if sparkWidth > 0 { x = put(x, pad(sparkWidth >= 7 ? "history" : "trend", to: sparkWidth + 1), theme.dimmed) }
      x = put(x, pad("ΔW/W", to: ratioWidth + 1), theme.dimmed)
      _ = put(x, "verdict", theme.dimmed)
      y += 1
    }
    for (l, name) in names.enumerated() where y < area.bottom {
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
      if sparkWidth > 0 {
        if l < history.count {
          Sparkline(series: history[l], color: theme.train).render(Rect(x: x, y: y, width: sparkWidth, height: 1), &buffer, theme: theme, symbols: symbols)
        }
        x += sparkWidth + 1
      }
      let ratio = stats.updateRatio > 0 && stats.updateRatio.isFinite ? String(format: "%.1f", log10(stats.updateRatio)) : "-"
      x = put(x, pad(ratio, to: ratioWidth, alignRight: true), rowStyle)
      x += 1
      _ = put(x, pad(verdict.status.badge, to: badgeWidth), theme.badge(color, emphasis: verdict.status != .ok))
      y += 1
    }
    // What is wrong and what to try, worst first, as many as fit.
    let flagged = health.filter { $0.status != .ok }.sorted { $0.status > $1.status }
    for verdict in flagged where y < area.bottom {
      _ = put(area.x, truncate("⚠ " + verdict.message, to: area.width, symbols: symbols), theme.badge(Self.color(verdict.status, theme), emphasis: false))
      y += 1
    }
  }
}
