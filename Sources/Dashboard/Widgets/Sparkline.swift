import Foundation
import RunEvents

/// The recent history of a series in one row of bar characters, newest at
/// the right; on a log scale for quantities spanning decades (gradient norms).
public struct Sparkline {
  public var series: Series
  public var logScale: Bool
  public var color: Color

  public init(series: Series, logScale: Bool = true, color: Color) {
    self.series = series
    self.logScale = logScale
    self.color = color
  }

  public func render(_ area: Rect, _ buffer: inout Buffer, theme: Theme, symbols: Symbols) {
    guard area.width > 0, area.height > 0 else { return }
    let recent = series.buckets.suffix(area.width).map { Double($0.mean) }
    guard !recent.isEmpty else { return }
    let values = logScale ? recent.map { log10(max($0, 1e-30)) } : recent
    let lo = values.min()!, hi = values.max()!
    let levels = symbols.sparks
    let start = area.right - values.count
    for (i, v) in values.enumerated() {
      let t = hi > lo ? (v - lo) / (hi - lo) : 0.5
      let level = min(levels.count - 1, max(0, Int((t * Double(levels.count - 1)).rounded())))
      buffer[start + i, area.y] = Cell(levels[level], style: theme.ink(color))
    }
  }
}

/// A horizontal bar whose length is log10 of a value between two decades, in
/// eighth-cell steps: ‖∂J/∂W‖ from 1e-8 to 1e2, say.
public struct LogBar {
  public var value: Double
  public var decades: ClosedRange<Double>
  public var color: Color

  public init(value: Double, decades: ClosedRange<Double> = -8...2, color: Color) {
    self.value = value
    self.decades = decades
    self.color = color
  }

  /// The filled fraction, 0…1 (0 for zero, negative or NaN values).
  public var fraction: Double {
    guard value.isFinite, value > 0 else { return value.isNaN ? 0 : (value > 0 ? 1 : 0) }
    let t = (log10(value) - decades.lowerBound) / (decades.upperBound - decades.lowerBound)
    return min(max(t, 0), 1)
  }

  public func render(_ area: Rect, _ buffer: inout Buffer, theme: Theme, symbols: Symbols) {
    guard area.width > 0, area.height > 0 else { return }
    let eighths = Int((fraction * Double(area.width * 8)).rounded())
    let blocks = symbols.eighths
    for i in 0..<area.width {
      let filled = min(max(eighths - 8 * i, 0), 8)
      buffer[area.x + i, area.y] = Cell(blocks[filled], style: theme.ink(color))
    }
  }
}
