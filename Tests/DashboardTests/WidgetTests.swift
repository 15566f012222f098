@testable import Dashboard
import NeuralNet
import Testing
import Training

/// Widgets rendered into buffers pre-filled with a sentinel, so any overdraw
/// outside their area shows; every widget also at 0×0 and 1×1.
struct WidgetTests {
  let theme = BuiltinThemes.standard
  let mono = BuiltinThemes.mono

  func sentinel(_ w: Int, _ h: Int) -> Buffer { Buffer(area: Rect(x: 0, y: 0, width: w, height: h), filling: Cell("x")) }

  @Test func blockDrawsBorderAndTitle() {
    var b = sentinel(12, 4)
    let inner = Block(title: "Loss").render(Rect(x: 1, y: 0, width: 10, height: 3), &b, theme: theme, symbols: .unicode)
    #expect(inner == Rect(x: 2, y: 1, width: 8, height: 1))
    #expect(b.lines == ["x┌ Loss ──┐x", "x│xxxxxxxx│x", "x└────────┘x", "xxxxxxxxxxxx"])
  }

  @Test func sparklineScalesToItsRangeNewestRight() {
    var s = Series(capacity: 16)
    for (i, v) in [1, 2, 3, 4, 5, 6, 7, 8].enumerated() { s.append(x: Double(i), Float(v)) }
    var b = sentinel(10, 1)
    Sparkline(series: s, logScale: false, color: .indexed(2)).render(Rect(x: 1, y: 0, width: 9, height: 1), &b, theme: theme, symbols: .unicode)
    #expect(b.lines == ["xx▁▂▃▄▅▆▇█"])
  }

  @Test func logBarFillsByDecades() {
    var b = sentinel(12, 1)
    // 1e-3 on 1e-8…1e2 is half way: 5 of 10 cells.
    LogBar(value: 1e-3, color: .indexed(2)).render(Rect(x: 1, y: 0, width: 10, height: 1), &b, theme: theme, symbols: .unicode)
    #expect(b.lines == ["x█████     x"])
    // 10^-7.5 is 1/20 of the way: 4 eighths of the first cell.
    var c = sentinel(10, 1)
    LogBar(value: 3.1623e-8, color: .indexed(2)).render(Rect(x: 0, y: 0, width: 10, height: 1), &c, theme: theme, symbols: .unicode)
    #expect(c.lines == ["▌         "])
    #expect(LogBar(value: 0, color: .default).fraction == 0 && LogBar(value: 1e9, color: .default).fraction == 1)
  }

  @Test func heatmapColoursTwoValuesPerCellOnTheRamp() {
    // (2 rows, 2 cols): top row −1, 1; bottom row 0, 0.5. Scale 1, ramp of 13:
    // level = round((v + 1) / 2 · 12): −1 → 0, 1 → 12, 0 → 6, 0.5 → 9.
    let m = WeightMatrix([[-1, 1], [0, 0.5]])
    var b = sentinel(4, 2)
    Heatmap(matrix: m).render(Rect(x: 1, y: 0, width: 2, height: 1), &b, theme: theme, symbols: .unicode)
    #expect(b.lines == ["x▀▀x", "xxxx"])
    let ramp = theme.heatmap
    #expect(ramp.count == 13)
    #expect(b[1, 0].style.fg == ramp[0] && b[1, 0].style.bg == ramp[6])
    #expect(b[2, 0].style.fg == ramp[12] && b[2, 0].style.bg == ramp[9])
  }

  @Test func heatmapWithoutColourUsesShading() {
    // One value per cell; |v|/scale in fifths of the shade ramp " ░▒▓█".
    let m = WeightMatrix([[-1, -0.5, 0, 0.5, 1]])
    var b = sentinel(5, 2)
    Heatmap(matrix: m).render(Rect(x: 0, y: 0, width: 5, height: 1), &b, theme: mono, symbols: .unicode)
    #expect(b.lines == ["█▒ ▒█", "xxxxx"])
    #expect(b[0, 0].style.dim && b[4, 0].style.bold)
  }

  @Test func heatmapAveragesDownAndMarksNaN() {
    let m = WeightMatrix([[1, 3, 5, 7], [1, 3, 5, 7], [2, 2, 2, 2], [4, 4, .nan, 4]])
    let d = Heatmap.fit(m, rows: 2, cols: 2)
    #expect(d[0, 0] == 2 && d[0, 1] == 6 && d[1, 0] == 3 && d[1, 1].isNaN)
    #expect(Heatmap.fit(m, rows: 4, cols: 7) == m, "less than twice the size: drawn as it is")
    var b = sentinel(2, 1)
    Heatmap(matrix: WeightMatrix([[Float.nan], [1]])).render(Rect(x: 0, y: 0, width: 1, height: 1), &b, theme: theme, symbols: .unicode)
    #expect(b.lines == ["×x"])
  }

  /// A matrix smaller than its area: each weight a block of whole cells,
  /// all blocks the same size (the area's size divided down), the rest of
  /// the area left empty; larger in one dimension, averaged in that one only.
  @Test func heatmapDrawsASmallMatrixInLargerBlocks() {
    let m = WeightMatrix([[1, 2], [3, 4], [5, 6]])  // (3, 2), W1 of a 2-input network
    let up = Heatmap.fit(m, rows: 7, cols: 9)  // 7 / 3 = 2 rows and 9 / 2 = 4 columns a weight
    #expect(up.rows == 6 && up.cols == 8)
    for r in 0..<6 {
      for c in 0..<8 { #expect(up[r, c] == m[r / 2, c / 4], "(\(r), \(c))") }
    }
    let mixed = Heatmap.fit(WeightMatrix([[1, 3, 5, 7]]), rows: 3, cols: 2)  // rows repeated, columns averaged
    #expect(mixed.rows == 3 && mixed.cols == 2 && (0..<3).allSatisfy { mixed[$0, 0] == 2 && mixed[$0, 1] == 6 })
    // On screen: a 16 × 2 first layer fills a 20-column panel, 10 columns a weight.
    var weights = WeightMatrix(rows: 16, cols: 2)
    for r in 0..<16 { weights[r, 0] = -1; weights[r, 1] = 1 }
    var b = Buffer(area: Rect(x: 0, y: 0, width: 20, height: 8), filling: Cell(" "))
    Heatmap(matrix: weights).render(b.area, &b, theme: theme, symbols: .unicode)
    let ramp = theme.heatmap
    for y in 0..<8 {
      for x in 0..<20 { #expect(b[x, y].style.fg == (x < 10 ? ramp.first! : ramp.last!), "(\(x), \(y))") }
    }
  }

  @Test func gradientPanelShowsVerdictsAsWords() {
    let layers = [
      LayerStatistics(inputs: 4, outputs: 3, gradientNorm: 1e-9, weightNorm: 1, updateRatio: 1e-3),
      LayerStatistics(inputs: 3, outputs: 2, gradientNorm: 0.1, weightNorm: 1, updateRatio: 1e-3),
    ]
    let health = HealthMonitor(thresholds: HealthThresholds(), families: [.squashing, .other]).judge(layers)
    var b = sentinel(60, 6)
    let panel = GradientPanel(names: ["W1 4→3", "W2 3→2"], layers: layers, health: health, history: [Series(), Series()], selected: 0)
    #expect(panel.preferredHeight(width: 60) == 5)
    panel.render(Rect(x: 0, y: 0, width: 60, height: 5), &b, theme: mono, symbols: .unicode)
    #expect(b.line(0).hasPrefix("layer  ‖∂J/∂W‖ (log scale)"))
    #expect(b.line(1).hasPrefix("W1 4→3 "))
    #expect(b.line(1).contains("1.0e-09") && b.line(1).contains("-3.0") && b.line(1).contains("VANISHING"))
    #expect(b.line(2).contains("0.100") && b.line(2).contains("OK"))
    // The reason, then what to try, each whole.
    // (The panel draws only its text; the rest is the sentinel's x.)
    #expect(b.line(3).hasPrefix("⚠ layer 1 ‖∂J/∂W‖ 1.0e-09 < 1.0e-06x"))
    #expect(b.line(4).hasPrefix("  → try ReLU with He init, or fewer layersx"))
    #expect(b.line(5) == String(repeating: "x", count: 60))
    // The flagged badge is in reverse video in mono; OK is not.
    let vanishing = b.line(1).distance(of: "VANISHING")!
    #expect(b[vanishing, 1].style.reverse && !b[b.line(2).distance(of: "OK")!, 2].style.reverse)
  }

  /// A deep sigmoid network: the first layers vanish relative to the last.
  static func vanishingPanel() -> GradientPanel {
    let norms = [1e-6, 1e-5, 1e-4, 1e-2, 0.5]
    let layers = norms.map { LayerStatistics(inputs: 8, outputs: 8, gradientNorm: $0, weightNorm: 1, updateRatio: 1e-3) }
    let health = HealthMonitor(thresholds: HealthThresholds(), families: [.squashing, .squashing, .squashing, .squashing, .other]).judge(layers)
    return GradientPanel(names: (1...5).map { "W\($0) 8→8" }, layers: layers, health: health, history: [], selected: 0)
  }

  @Test func layersThatShareAHintGetItOnceAndWrapped() {
    let panel = Self.vanishingPanel()
    #expect(panel.health.prefix(3).allSatisfy { $0.status == .vanishing } && panel.health[3].status == .ok)
    // With room: every reason whole (wrapped at 30 columns), then the shared
    // hint once, wrapped whole.
    let whole = panel.notes(width: 30, rows: .max).map(\.text)
    #expect(whole.allSatisfy { $0.count <= 30 })
    let hintStart = try! #require(whole.firstIndex { $0.hasPrefix("  → ") })
    let reasons = whole[..<hintStart].joined(separator: " ").split(separator: "⚠").map { $0.split(separator: " ").joined(separator: " ") }
    #expect(reasons == panel.health.prefix(3).map(\.reason))
    #expect(whole[hintStart...].map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ") == "→ " + panel.health[0].hint)
    #expect(whole[(hintStart + 1)...].allSatisfy { $0.hasPrefix("    ") })
    // Short of rows: one line a reason; the worst reason and the hint come
    // before the other reasons, and the hint before any reason.
    let hint = Array(whole[hintStart...])
    #expect(hint.count == 2)
    let three = panel.notes(width: 30, rows: 3).map(\.text)
    #expect(three == [truncate("⚠ " + panel.health[0].reason, to: 30)] + hint)
    #expect(panel.notes(width: 30, rows: 2).map(\.text) == hint)
    #expect(panel.notes(width: 30, rows: 1).map(\.text) == [hint[0]])
  }

  @Test func aDeepNetworkThatDoesNotFitSaysHowManyMore() {
    let norms = (0..<20).map { l in l < 6 ? 1e-7 : 0.1 }
    let layers = norms.map { LayerStatistics(inputs: 8, outputs: 8, gradientNorm: $0, weightNorm: 1, updateRatio: 1e-3) }
    let health = HealthMonitor(thresholds: HealthThresholds(), activations: Array(repeating: .sigmoid, count: 19) + [.softmax]).judge(layers)
    let panel = GradientPanel(names: (1...20).map { "W\($0) 8→8" }, layers: layers, health: health, history: [], selected: 0)
    var b = sentinel(40, 10)
    panel.render(Rect(x: 0, y: 0, width: 40, height: 10), &b, theme: mono, symbols: .unicode)
    // Seven layers, a line for the other thirteen, and the hint.
    #expect(b.line(0).hasPrefix("W1 8→8") && b.line(6).hasPrefix("W7 8→8"))
    #expect(b.line(7).hasPrefix("+13 more, worst first · ↑↓ scrollx"))
    #expect(b.line(8).hasPrefix("  → ") && b.line(9).hasPrefix("    "))
    // Flagged layers among the hidden ones are counted.
    let flaggedBelow = GradientPanel(names: panel.names, layers: layers, health: health.reversed(), history: [], selected: 0)
    var c = sentinel(40, 10)
    flaggedBelow.render(Rect(x: 0, y: 0, width: 40, height: 10), &c, theme: mono, symbols: .unicode)
    // Worst first: the six flagged layers at the end of the network head the list.
    #expect(c.line(0).hasPrefix("W15 8→8") && c.line(5).hasPrefix("W20 8→8") && c.line(6).hasPrefix("W1 8→8"))
    #expect(c.line(7).hasPrefix("+13 more, worst first · ↑↓ scrollx"))
    // Scrolled down by two: the first two are above, and said.
    var scrolled = flaggedBelow
    scrolled.scroll = 2
    var d = sentinel(40, 10)
    scrolled.render(Rect(x: 0, y: 0, width: 40, height: 10), &d, theme: mono, symbols: .unicode)
    #expect(d.line(0).hasPrefix("W17 8→8") && d.line(7).hasPrefix("↑ 2 above · +11 more, worst first (2"))
  }

  @Test func aShortPanelKeepsLayersAndNotesBeforeTheHeader() {
    let panel = Self.vanishingPanel()
    // 5 layers and 5 lines of notes want 11 rows; given 8, the header goes.
    var b = sentinel(30, 8)
    panel.render(Rect(x: 0, y: 0, width: 30, height: 8), &b, theme: mono, symbols: .unicode)
    #expect(b.line(0).hasPrefix("W1 8→8") && b.line(4).hasPrefix("W5 8→8"))
    #expect(b.line(5).hasPrefix("⚠ layer 1"))
    #expect(b.line(6).hasPrefix("  → try"))
    #expect(b.line(7).hasPrefix("    "))
    // Given 10, the header comes back above them.
    var tall = sentinel(30, 10)
    panel.render(Rect(x: 0, y: 0, width: 30, height: 10), &tall, theme: mono, symbols: .unicode)
    #expect(tall.line(0).hasPrefix("layer") && tall.line(1).hasPrefix("W1 8→8"))
  }

  @Test func theGradientHeaderLabelsTheColumnsAtEveryWidth() {
    let panel = Self.vanishingPanel()
    for width in [30, 34, 40, 44, 50, 53, 60, 90] {
      var b = sentinel(width, 12)
      panel.render(Rect(x: 0, y: 0, width: width, height: 12), &b, theme: mono, symbols: .unicode)
      let header = b.line(0), row = b.line(5)
      // Each column's label starts where its values start, with a space before it.
      let value = row.distance(of: "0.500")!
      let gradientLabel = header.distance(of: "‖∂J/∂W‖")!
      #expect(gradientLabel <= value && header.dropFirst(gradientLabel).hasPrefix("‖∂J/∂W‖"), "width \(width): \(header)")
      let ratio = try! #require(header.distance(of: " ΔW/W"), "width \(width): \(header)")
      let verdict = try! #require(header.distance(of: " verdict"), "width \(width): \(header)")
      #expect(row.dropFirst(ratio + 1).hasPrefix(" -3.0") || row.dropFirst(ratio + 1).hasPrefix("-3.0"), "width \(width)\n\(header)\n\(row)")
      #expect(row.dropFirst(verdict + 1).hasPrefix("OK"), "width \(width)\n\(header)\n\(row)")
    }
  }

  @Test func aDivergedModelsFieldAndHugeCurvesDrawWithoutATrap() {
    // A field computed from NaN weights, and a point where the span is 0.
    let field = DecisionField(columns: 2, rows: 1, xRange: 0...0, yRange: 0...1, classes: [0, 1], confidence: [.nan, .infinity])
    var b = sentinel(6, 2)
    DecisionBoundaryView(field: field, points: [PlanePoint(x: 0, y: 0.5, label: 1)], classCount: 2)
      .render(Rect(x: 0, y: 0, width: 6, height: 2), &b, theme: theme, symbols: .unicode)
    #expect(b.lines.allSatisfy { $0.count == 6 })
    // Values at the edge of Float's range, whose spread overflows Float.
    var s = Series()
    for (i, v) in [Float(3e38), -3.4e38, 3.4e38, 1].enumerated() { s.append(x: Double(i + 1), v) }
    var c = sentinel(30, 8)
    LineChart(lines: [ChartLine(series: s, color: theme.train, envelope: true, envelopeColor: theme.dim)])
      .render(Rect(x: 0, y: 0, width: 30, height: 8), &c, theme: theme, symbols: .unicode)
    #expect(c.lines.joined().unicodeScalars.contains { (0x2801...0x28FF).contains($0.value) })
  }

  @Test func decisionBoundaryColoursEachSideAndDrawsPoints() {
    // Two columns of the field: class 0 left, class 1 right, full confidence.
    let field = DecisionField(columns: 2, rows: 1, xRange: 0...2, yRange: 0...1, classes: [0, 1], confidence: [1, 1])
    let points = [PlanePoint(x: 1.75, y: 0.25, label: 1)]
    var b = sentinel(6, 2)
    DecisionBoundaryView(field: field, points: points, classCount: 2).render(Rect(x: 1, y: 0, width: 4, height: 2), &b, theme: theme, symbols: .unicode)
    let left = DecisionBoundaryView.shades(of: theme.classColor(0), background: theme.background)[3]
    let right = DecisionBoundaryView.shades(of: theme.classColor(1), background: theme.background)[3]
    #expect(b[1, 0].style.fg == left && b[2, 1].style.bg == left)
    #expect(b[3, 0].style.fg == right && b[4, 0].style.bg == right)
    // The point at x = 1.75 of 0…2 (cell 3 of 4), y = 0.25 of 0…1 (bottom row).
    #expect(b[4, 1].symbol == "●" && b[4, 1].style.fg == theme.classColor(1))
    #expect(b.lines[0].first == "x" && b.lines[0].last == "x")
  }

  @Test func everyWidgetSurvivesZeroAndOneCellAreas() {
    var s = Series()
    s.append(x: 1, 0.5)
    s.append(x: 2, 0.25)
    let field = DecisionField(columns: 1, rows: 1, xRange: 0...1, yRange: 0...1, classes: [0], confidence: [1])
    let stats = [LayerStatistics(inputs: 1, outputs: 1, gradientNorm: 1)]
    let renders: [(Rect, inout Buffer) -> Void] = [
      { r, b in Block(title: "T").render(r, &b, theme: theme, symbols: .unicode) },
      { r, b in LineChart(lines: [ChartLine(series: s, color: .default)]).render(r, &b, theme: theme, symbols: .unicode) },
      { r, b in Sparkline(series: s, color: .default).render(r, &b, theme: theme, symbols: .unicode) },
      { r, b in LogBar(value: 0.1, color: .default).render(r, &b, theme: theme, symbols: .unicode) },
      { r, b in Heatmap(matrix: WeightMatrix([[1, -1]])).render(r, &b, theme: theme, symbols: .unicode) },
      { r, b in HeatmapLegend(scale: 1).render(r, &b, theme: theme, symbols: .unicode) },
      { r, b in ImageTiles(weights: WeightMatrix([[1, 2, 3, 4]]), imageRows: 2, imageCols: 2).render(r, &b, theme: theme, symbols: .unicode) },
      { r, b in GradientPanel(names: ["W1"], layers: stats, health: [LayerHealth(status: .ok)], history: [s], selected: 0).render(r, &b, theme: theme, symbols: .unicode) },
      { r, b in DecisionBoundaryView(field: field, points: [], classCount: 2).render(r, &b, theme: theme, symbols: .unicode) },
      { r, b in StatusBar(snapshot: nil, notice: nil, entry: nil).render(r, &b, theme: theme, symbols: .unicode) },
      { r, b in HelpOverlay().render(r, &b, theme: theme, symbols: .unicode) },
    ]
    for (i, render) in renders.enumerated() {
      var zero = sentinel(3, 3)
      render(Rect(x: 1, y: 1, width: 0, height: 0), &zero)
      #expect(zero == sentinel(3, 3), "widget \(i) drew in a 0×0 area")
      var one = sentinel(3, 3)
      render(Rect(x: 1, y: 1, width: 1, height: 1), &one)
      for (x, y) in [(0, 0), (1, 0), (2, 0), (0, 1), (2, 1), (0, 2), (1, 2), (2, 2)] {
        #expect(one[x, y].symbol == "x", "widget \(i) drew outside its 1×1 area at (\(x), \(y))")
      }
    }
  }
}

extension String {
  /// The character offset of the first occurrence of `needle`.
  func distance(of needle: String) -> Int? {
    guard let r = range(of: needle) else { return nil }
    return distance(from: startIndex, to: r.lowerBound)
  }
}

/// The line chart, worked out by hand on a tiny area.
struct LineChartTests {
  @Test func flatLineOnAFixedAxis() {
    // Area 14×5: labels 2 wide, axis at column 2, plot 11×3 cells = 22×12 dots.
    // x: 0…2 → dots 0…21, so x=1 → 10.5 → 11 and x=2 → 21; y = 0.5 → dot row
    // 5.5 → 6: cell row 1, dot row 2 (⠄ left, ⠠ right). Dot columns 11…21:
    // cell 5 right only (⠠), cells 6–10 both (⠤).
    var s = Series(capacity: 8)
    s.append(x: 1, 0.5)
    s.append(x: 2, 0.5)
    var chart = LineChart(lines: [ChartLine(series: s, color: .indexed(4))])
    chart.fixedRange = 0...1
    chart.formatY = { String(Int(($0 * 10).rounded())) }
    var b = Buffer(width: 14, height: 5)
    chart.render(Rect(x: 0, y: 0, width: 14, height: 5), &b, theme: BuiltinThemes.standard, symbols: .unicode)
    #expect(b.lines == [
      "10┤           ",
      " 5┤     ⠠⠤⠤⠤⠤⠤",
      " 0┤           ",
      "  └───────────",
      "  0     step 2",
    ])
    #expect(b[8, 1].style.fg == .indexed(4))
  }

  @Test func logScaleSpreadsDecades() {
    var s = Series(capacity: 8)
    for (i, v) in [1.0, 0.1, 0.01, 0.001].enumerated() { s.append(x: Double(i + 1), Float(v)) }
    var chart = LineChart(lines: [ChartLine(series: s, color: .default)])
    chart.logScale = true
    var b = Buffer(width: 30, height: 10)
    chart.render(Rect(x: 0, y: 0, width: 30, height: 10), &b, theme: BuiltinThemes.standard, symbols: .unicode)
    // Labels are the decades' values, top to bottom, padded 5 % of the log range.
    let labels = [0, 4, 7].map { b.line($0).split(separator: "┤").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? "" }
    #expect(labels[1] == "0.032", "middle of 10^0.15 … 10^-3.15 is 10^-1.5; got \(labels)")
    // Equal decades take equal heights: the four points fall on distinct, evenly spaced rows.
    let rows = (0..<8).filter { y in b.line(y).contains { "⠁⠂⠄⡀⠈⠐⠠⢀⠉⠒⠤⣀".contains($0) || ($0.unicodeScalars.first!.value >= 0x2801 && $0.unicodeScalars.first!.value <= 0x28FF) } }
    #expect(rows.count >= 4)
  }

  @Test func emptySeriesSaysItIsWaiting() {
    var b = Buffer(width: 30, height: 5)
    LineChart(lines: [ChartLine(series: Series(), color: .default)]).render(Rect(x: 0, y: 0, width: 30, height: 5), &b, theme: BuiltinThemes.standard, symbols: .unicode)
    #expect(b.line(0) == " waiting for data…            ")
  }
}

import Foundation
import Diagnosis
import RunEvents
