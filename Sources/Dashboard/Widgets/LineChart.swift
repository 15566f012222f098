import Foundation
import RunEvents
import NumberFormat

/// One line of a chart: a decimated series, its colour, and how to draw it.
public struct ChartLine {
  public var series: Series
  public var color: Color
  /// Draw the min–max envelope of each column under the line (dimmed colour).
  public var envelope: Bool
  public var envelopeColor: Color
  /// A letter drawn on the line now and then (and at its end), so lines of
  /// compared runs tell apart without colour.
  public var marker: Character?

  public init(series: Series, color: Color, envelope: Bool = false, envelopeColor: Color? = nil, marker: Character? = nil) {
    self.series = series
    self.color = color
    self.envelope = envelope
    self.envelopeColor = envelopeColor ?? color
    self.marker = marker
  }
}

/// A braille line chart with a y axis (tick labels), an x axis (steps) and
/// optional log scale and debiased-EMA smoothing (as TensorBoard smooths).
public struct LineChart {
  public var lines: [ChartLine]
  public var logScale = false
  /// EMA weight in 0..<1 (0: no smoothing).
  public var smoothing = 0.0
  /// A fixed y range (accuracy: 0…1); nil fits the data.
  public var fixedRange: ClosedRange<Double>?
  public var formatY: (Double) -> String = { ChartFormat.compact($0) }
  public var marks: [History.Mark] = []
  /// The step of the best validation epoch, marked under the x axis.
  public var best: Int?
  /// Show only the last this fraction of the steps (`w`), nil: the whole run.
  public var recent: Double?

  public init(lines: [ChartLine]) {
    self.lines = lines
  }

  /// One plotted column of dots: the aggregate of the buckets that fall in it.
  struct Column {
    var min = Double.infinity
    var max = -Double.infinity
    var sum = 0.0
    var count = 0.0
    var mean: Double { sum / Swift.max(count, 1) }
  }

  public func render(_ area: Rect, _ buffer: inout Buffer, theme: Theme, symbols: Symbols) {
    guard area.width >= 12, area.height >= 3 else {
      if area.width > 0 && area.height > 0 { buffer.setString(x: area.x, y: area.y, truncate("(too small)", to: area.width, symbols: symbols), style: theme.dimmed) }
      return
    }
    let nonEmpty = lines.filter { !$0.series.isEmpty }
    guard !nonEmpty.isEmpty else {
      buffer.setString(x: area.x + 1, y: area.y, truncate("waiting for data…", to: area.width - 1, symbols: symbols), style: theme.dimmed)
      return
    }
    let xMax = Swift.max(nonEmpty.map { $0.series.buckets.last!.x }.max()!, 1)
    let xMin = recent.map { (xMax * (1 - $0)).rounded(.down) } ?? 0
    // The buckets in view (a recent window: those at or after its start; the
    // window reuses the whole run's buckets, so it is as fine as they are),
    // each line with its place among the lines (its marker letters' offset).
    let present = nonEmpty.enumerated().map { i, line in (index: i, line: line, buckets: line.series.buckets.filter { $0.x >= xMin }) }
      .filter { !$0.buckets.isEmpty }
    let transform: (Double) -> Double = logScale ? { log10(Swift.max($0, 1e-12)) } : { $0 }
    // Y range from everything drawn.
    var lo = Double.infinity, hi = -Double.infinity
    if let fixedRange {
      lo = transform(fixedRange.lowerBound)
      hi = transform(fixedRange.upperBound)
    } else {
      for (_, line, buckets) in present {
        for b in buckets {
          let a = transform(Double(line.envelope ? b.min : b.mean)), c = transform(Double(line.envelope ? b.max : b.mean))
          // A bucket whose sum overflowed Float (values near 3e38) is left out.
          if a.isFinite { lo = Swift.min(lo, a) }
          if c.isFinite { hi = Swift.max(hi, c) }
        }
      }
      if !lo.isFinite || !hi.isFinite { (lo, hi) = (0, 1) }
      if !(hi > lo) {
        lo -= 0.5
        hi += 0.5
      }
      let pad = (hi - lo) * 0.05
      lo -= pad
      hi += pad
      if !logScale && lo < 0 && present.allSatisfy({ ($0.line.series.range?.lowerBound ?? 0) >= 0 }) { lo = 0 }
    }
    // Axis labels: top, middle, bottom.
    let labels = [hi, (hi + lo) / 2, lo].map { v in formatY(logScale ? pow(10, v) : v) }
    let labelWidth = Swift.min(labels.map(\.count).max()!, 9)
    let plot = Rect(x: area.x + labelWidth + 1, y: area.y, width: area.width - labelWidth - 1, height: area.height - 2)
    let rows = [plot.y, plot.y + plot.height / 2, plot.bottom - 1]
    for (label, row) in zip(labels, rows) {
      buffer.setString(x: area.x, y: row, pad(label, to: labelWidth, alignRight: true), style: theme.ink(theme.axis))
    }
    for y in plot.y..<plot.bottom {
      buffer[plot.x - 1, y] = Cell(rows.contains(y) ? symbols.tick : symbols.vertical, style: theme.ink(theme.axis))
    }
    buffer[plot.x - 1, plot.bottom] = Cell(symbols.axisCorner, style: theme.ink(theme.axis))
    for x in plot.x..<plot.right { buffer[x, plot.bottom] = Cell(symbols.horizontal, style: theme.ink(theme.axis)) }
    // X labels: the first step shown (0, or where a recent window starts), the middle and the last step.
    let xLabelY = plot.bottom + 1
    let first = recent == nil ? "0" : "from " + ChartFormat.count(xMin)
    buffer.setString(x: plot.x - 1, y: xLabelY, first, style: theme.ink(theme.axis), maxWidth: plot.width)
    let last = "step " + ChartFormat.count(xMax)
    if plot.width >= last.count + first.count + 3 {
      buffer.setString(x: plot.right - last.count, y: xLabelY, last, style: theme.ink(theme.axis))
    }
    if plot.width > 3 * last.count + 6 {
      let mid = ChartFormat.count((xMin + xMax) / 2)
      buffer.setString(x: plot.x + plot.width / 2 - mid.count / 2, y: xLabelY, mid, style: theme.ink(theme.axis))
    }
    var canvas = BrailleCanvas(width: plot.width, height: plot.height)
    func dotX(_ x: Double) -> Int { Int(((x - xMin) / (xMax - xMin) * Double(canvas.dotWidth - 1)).rounded()) }
    func dotY(_ y: Double) -> Int {
      let t = (transform(y) - lo) / (hi - lo)
      guard t.isFinite else { return t == .infinity ? 0 : canvas.dotHeight - 1 }  // NaN: the bottom
      return Int(((1 - Swift.min(Swift.max(t, 0), 1)) * Double(canvas.dotHeight - 1)).rounded())
    }
    // Each marked line's cells, where its letters go after the dots are drawn.
    var markers: [(Character, Color, [(x: Int, y: Int)])] = []
    for (index, line, buckets) in present {
      var columns = [Column](repeating: Column(), count: canvas.dotWidth)
      var ema = 0.0, debias = 0.0
      for b in buckets {
        let c = Swift.min(Swift.max(dotX(b.x), 0), canvas.dotWidth - 1)
        guard b.mean.isFinite, b.min.isFinite, b.max.isFinite else { continue }
        var value = Double(b.mean)
        if smoothing > 0 {
          // TensorBoard: last = last·w + (1−w)·v, shown divided by 1 − w^n.
          ema = ema * smoothing + (1 - smoothing) * value
          debias = debias * smoothing + (1 - smoothing)
          value = ema / debias
        }
        columns[c].min = Swift.min(columns[c].min, Double(b.min))
        columns[c].max = Swift.max(columns[c].max, Double(b.max))
        columns[c].sum += value * Double(b.count)
        columns[c].count += Double(b.count)
      }
      if line.envelope {
        for (c, col) in columns.enumerated() where col.count > 0 && col.max > col.min {
          canvas.line(c, dotY(col.min), c, dotY(col.max), color: line.envelopeColor)
        }
      }
      var previous: (Int, Int)?
      for (c, col) in columns.enumerated() where col.count > 0 {
        let y = dotY(col.mean)
        if let (px, py) = previous { canvas.line(px, py, c, y, color: line.color) } else { canvas.set(c, y, color: line.color) }
        previous = (c, y)
      }
      if let marker = line.marker {
        // Every 12th cell column (each line's shifted, so letters do not land on each other) and the last.
        let cells = columns.enumerated().filter { $0.element.count > 0 }.map { (x: $0.offset / 2, y: dotY($0.element.mean) / 4) }
        var chosen = cells.filter { ($0.x + 3 * index) % 12 == 6 && $0.x < (cells.last?.x ?? 0) - 2 }
        if let last = cells.last { chosen.append(last) }
        var seen = Set<Int>()
        markers.append((marker, line.color, chosen.filter { seen.insert($0.x).inserted }))
      }
    }
    canvas.render(into: &buffer, x: plot.x, y: plot.y, theme: theme, symbols: symbols)
    for (marker, color, cells) in markers {
      for cell in cells where cell.x < plot.width && cell.y < plot.height {
        buffer[plot.x + cell.x, plot.y + cell.y] = Cell(marker, style: theme.ink(color).bolded)
      }
    }
    for mark in marks where mark.step > 0 && Double(mark.step) >= xMin {
      let x = plot.x + Swift.min(dotX(Double(mark.step)) / 2, plot.width - 1)
      buffer[x, plot.bottom] = Cell(symbols.unicode ? "┴" : "^", style: theme.ink(theme.marks))
    }
    if let best, Double(best) >= xMin {
      let x = plot.x + Swift.min(Swift.max(dotX(Double(best)), 0) / 2, plot.width - 1)
      buffer[x, plot.bottom] = Cell(symbols.bestMark, style: theme.ink(theme.validation).bolded)
    }
  }
}

