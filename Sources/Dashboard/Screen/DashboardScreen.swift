import RunEvents
import NumberFormat

/// The whole screen as a pure function of the state: layout, panels, status
/// line, help. Nothing here touches a terminal.
public enum DashboardScreen {
  public static func render(_ state: DashboardState) -> Buffer {
    let theme = state.theme, symbols = state.symbols
    var buffer = Buffer(area: Rect(x: 0, y: 0, width: state.width, height: state.height), filling: Cell(" ", style: theme.base))
    let screen = buffer.area
    guard !screen.isEmpty else { return buffer }
    guard screen.width >= DashboardState.minimumWidth, screen.height >= DashboardState.minimumHeight else {
      renderTooSmall(screen, &buffer, theme: theme, symbols: symbols)
      return buffer
    }
    let (main, status) = screen.splitTop(screen.height - 1)
    var bar = StatusBar(snapshot: state.snapshot, notice: state.visibleNotice, entry: state.learningRateEntry)
    bar.question = state.question.map { [$0.prompt(savePath: state.savePath), $0.prompt(savePath: nil)] }
    if state.mode == .replay { bar.replay = (state.replaySpeed, state.replayProgress) }
    if state.isComparing { bar.run = "\(ComparedRun.letter(state.selectedRun)) \(state.compared[state.selectedRun].name)" }
    bar.render(status, &buffer, theme: theme, symbols: symbols)
    guard let s = state.snapshot else {
      buffer.setString(x: 2, y: 1, state.waitingNote, style: theme.dimmed, maxWidth: max(screen.width - 4, 0))
      return buffer
    }
    let columns = Layout.split(main, .horizontal, [.percentage(55), .fill])
    let left = Layout.split(columns[0], .vertical, [.percentage(60), .fill])
    if state.isComparing {
      ComparedCharts(state: state).render(loss: left[0], metric: left[1], &buffer)
    } else {
      renderLoss(left[0], &buffer, state, s)
      renderMetric(left[1], &buffer, state, s)
    }
    var gradients = GradientPanel(
      names: s.info.layerNames, layers: s.layers, health: s.health, history: s.history.gradientNorms, selected: state.selectedLayer,
      scroll: state.gradientScroll)
    gradients.spread = s.gradientSpread
    // The ranks of a distributed run: a row each, up to a quarter of the column.
    var rightColumn = columns[1]
    if s.ranks.count > 1 {
      let ranks = RanksPanel(ranks: s.ranks)
      let (panel, rest) = rightColumn.splitTop(min(ranks.preferredHeight + 2, max(columns[1].height / 4, 3)))
      let note = s.ranks.contains { $0.condition == .lost || $0.condition == .straggler } ? "flagged" : "rank 0's curves"
      ranks.render(Block(title: "Ranks (\(s.ranks.count))", note: note).render(panel, &buffer, theme: theme, symbols: symbols), &buffer, theme: theme, symbols: symbols)
      rightColumn = rest
    }
    // As many rows as it wants (borders included), up to 60 % of the column.
    let gradientRows = min(gradients.preferredHeight(width: rightColumn.width - 2) + 2, rightColumn.height * 60 / 100)
    let right = Layout.split(rightColumn, .vertical, [.length(max(gradientRows, 5)), .fill])
    var title = s.ranks.count > 1 ? "Gradient health, mean of \(s.ranks.count) ranks" : "Gradient health"
    if state.isComparing { title += " · \(ComparedRun.letter(state.selectedRun)) \(state.compared[state.selectedRun].name)" }
    let gradientInner = Block(title: title).render(right[0], &buffer, theme: theme, symbols: symbols)
    gradients.render(gradientInner, &buffer, theme: theme, symbols: symbols)
    if let field = s.field {
      let parts = Layout.split(right[1], .vertical, [.percentage(42), .fill])
      renderWeights(parts[0], &buffer, state, s)
      let inner = Block(title: "Decision boundary", note: "\(s.info.classNames.count) classes").render(parts[1], &buffer, theme: theme, symbols: symbols)
      DecisionBoundaryView(field: field, points: s.info.points, classCount: s.info.classNames.count)
        .render(inner, &buffer, theme: theme, symbols: symbols)
    } else {
      renderWeights(right[1], &buffer, state, s)
    }
    if state.showHelp { HelpOverlay(mode: state.mode, presets: state.presets).render(screen, &buffer, theme: theme, symbols: symbols) }
    return buffer
  }

  static func renderTooSmall(_ area: Rect, _ buffer: inout Buffer, theme: Theme, symbols: Symbols) {
    let lines = [
      "terminal too small",
      "\(area.width)×\(area.height), nntop needs \(DashboardState.minimumWidth)×\(DashboardState.minimumHeight)",
      "(q quits)",
    ]
    let top = area.y + max((area.height - lines.count) / 2, 0)
    for (i, line) in lines.enumerated() where top + i < area.bottom {
      let shown = truncate(line, to: area.width, symbols: symbols)
      buffer.setString(x: area.x + max((area.width - shown.count) / 2, 0), y: top + i, shown, style: i == 0 ? theme.accentStyle : theme.dimmed)
    }
  }

  static func renderLoss(_ area: Rect, _ buffer: inout Buffer, _ state: DashboardState, _ s: RunView) {
    let theme = state.theme
    let inner = Block(title: "Loss", note: state.curveFlags(logScale: state.logScale).joined(separator: " · ")).render(area, &buffer, theme: theme, symbols: state.symbols)
    guard inner.height >= 2 else { return }
    // What went wrong takes two lines where one is too narrow for it (and
    // where there is room); the run overfitting, up to four, over the legend.
    let failure = (s.failure ?? s.divergence).map { "⚠ " + $0 }
    let overfitting = s.overfitting.map { "⚠ " + $0.headline }
    let warning = (failure ?? overfitting).map { wrap($0, to: inner.width) } ?? []
    let warningRows = failure != nil ? (warning.count > 1 && inner.height >= 8 ? 2 : 1) : min(warning.count, inner.height >= 16 ? 4 : inner.height >= 12 ? 3 : 1)
    let (warningArea, rest) = inner.splitTop(warningRows)
    // A failure takes the legend's place; the overfitting verdict sits above it.
    let (legendRow, chartArea) = failure == nil ? rest.splitTop(1) : (warningArea, rest)
    if !warning.isEmpty {
      let style = failure != nil ? theme.badge(theme.bad, emphasis: true) : theme.badge(theme.warn, emphasis: true)
      for (i, line) in warning.prefix(warningArea.height).enumerated() {
        let text = i == warningArea.height - 1 && warning.count > warningArea.height ? warning[i...].joined(separator: " ") : line
        buffer.setString(x: warningArea.x, y: warningArea.y + i, truncate(text, to: warningArea.width, symbols: state.symbols), style: style)
      }
    }
    if failure == nil {
      let x = renderLegend(legendRow, &buffer, theme: theme, symbols: state.symbols, entries: [
        ("train (step)", s.history.loss.last.map { ChartFormat.compact(Double($0)) }, theme.train),
        ("val (epoch)", s.history.validationLoss.last.map { ChartFormat.compact(Double($0)) }, theme.validation),
      ])
      if let o = s.overfitting, x < legendRow.right {
        let next = buffer.setString(x: x, y: legendRow.y, "\(state.symbols.bestMark) ", style: theme.ink(theme.validation).bolded, maxWidth: legendRow.right - x)
        buffer.setString(x: next, y: legendRow.y, "best epoch \(o.bestEpoch)", style: theme.base, maxWidth: max(legendRow.right - next, 0))
      }
    }
    var chart = LineChart(lines: [
      ChartLine(series: s.history.loss, color: theme.train, envelope: true, envelopeColor: theme.dim),
      ChartLine(series: s.history.validationLoss, color: theme.validation),
    ])
    chart.logScale = state.logScale
    chart.smoothing = state.smoothing
    chart.marks = s.history.marks
    chart.best = s.overfitting?.bestStep
    chart.recent = state.curveWindow
    chart.render(chartArea, &buffer, theme: theme, symbols: state.symbols)
  }

  static func renderMetric(_ area: Rect, _ buffer: inout Buffer, _ state: DashboardState, _ s: RunView) {
    let theme = state.theme
    let others = s.history.others
    if state.metricChoice > 0, state.metricChoice <= others.count {
      renderOther(area, &buffer, state, others[state.metricChoice - 1], "m: next (\(state.metricChoice)/\(others.count))")
      return
    }
    let accuracy = s.info.isClassification
    let note = (state.curveFlags(logScale: false, smoothing: !accuracy) + (others.isEmpty ? [] : ["m: \(others.count) more series"])).joined(separator: " · ")
    let inner = Block(title: accuracy ? "Accuracy" : "RMSE", note: note).render(area, &buffer, theme: theme, symbols: state.symbols)
    guard inner.height >= 2 else { return }
    let (legendRow, chartArea) = inner.splitTop(1)
    let format: (Float) -> String = accuracy ? { ChartFormat.percent(Double($0)) } : { ChartFormat.compact(Double($0)) }
    renderLegend(legendRow, &buffer, theme: theme, symbols: state.symbols, entries: [
      ("train (step)", s.history.metric.last.map(format), theme.train),
      ("val (epoch)", s.history.validationMetric.last.map(format), theme.validation),
    ])
    var chart = LineChart(lines: [
      ChartLine(series: s.history.metric, color: theme.train),
      ChartLine(series: s.history.validationMetric, color: theme.validation),
    ])
    chart.smoothing = accuracy ? max(state.smoothing, 0.6) : state.smoothing
    chart.recent = state.curveWindow
    if accuracy {
      chart.fixedRange = 0...1
      chart.formatY = { ChartFormat.percent($0) }
    }
    chart.render(chartArea, &buffer, theme: theme, symbols: state.symbols)
  }

  /// One of the source's other series (a TensorBoard tag, a CSV column), by its name.
  static func renderOther(_ area: Rect, _ buffer: inout Buffer, _ state: DashboardState, _ other: NamedSeries, _ note: String) {
    let theme = state.theme
    let inner = Block(title: other.name, note: note).render(area, &buffer, theme: theme, symbols: state.symbols)
    guard inner.height >= 2 else { return }
    let (legendRow, chartArea) = inner.splitTop(1)
    renderLegend(legendRow, &buffer, theme: theme, symbols: state.symbols, entries: [
      (other.name, other.series.last.map { ChartFormat.compact(Double($0)) }, theme.train)
    ])
    var chart = LineChart(lines: [ChartLine(series: other.series, color: theme.train)])
    chart.smoothing = state.smoothing
    chart.recent = state.curveWindow
    chart.render(chartArea, &buffer, theme: theme, symbols: state.symbols)
  }

  /// `━ train 0.123  ━ val 0.145`, each in its series colour.
  @discardableResult
  static func renderLegend(_ area: Rect, _ buffer: inout Buffer, theme: Theme, symbols: Symbols, entries: [(String, String?, Color)]) -> Int {
    var x = area.x
    for (name, value, color) in entries {
      guard x < area.right else { break }
      x = buffer.setString(x: x, y: area.y, symbols.unicode ? "━ " : "- ", style: theme.ink(color).bolded, maxWidth: area.right - x)
      x = buffer.setString(x: x, y: area.y, "\(name) \(value ?? "–")   ", style: theme.base, maxWidth: area.right - x)
    }
    return x
  }

  static func renderWeights(_ area: Rect, _ buffer: inout Buffer, _ state: DashboardState, _ s: RunView) {
    let theme = state.theme, symbols = state.symbols
    guard !s.weights.isEmpty else { return }
    let l = min(state.selectedLayer, s.weights.count - 1)
    let w = s.weights[l]
    let name = l < s.info.layerNames.count ? s.info.layerNames[l] : "W\(l + 1)"
    let asImages = l == 0 && s.info.imageShape.map { $0.rows * $0.cols == w.cols } == true
    let blockArea = area
    var inner = Block(title: "Weights \(name)", note: state.isComparing ? "S-Tab: next layer" : "Tab: next layer", highlighted: false).render(blockArea, &buffer, theme: theme, symbols: symbols)
    guard inner.height >= 2 else { return }
    let (content, legend) = inner.splitTop(inner.height - 1)
    inner = content
    let scale = Heatmap.symmetricScale(w.storage)
    if asImages, let shape = s.info.imageShape {
      let tiles = ImageTiles(weights: w, imageRows: shape.rows, imageCols: shape.cols)
      let shown = tiles.render(inner, &buffer, theme: theme, symbols: symbols)
      if shown < w.rows {
        let more = " +\(counted(w.rows - shown, "unit")) "
        buffer.setString(x: max(area.right - 1 - more.count, area.x + 1), y: area.bottom - 1, more, style: theme.dimmed)
      }
    } else {
      Heatmap(matrix: w, scale: scale).render(inner, &buffer, theme: theme, symbols: symbols)
    }
    HeatmapLegend(scale: scale).render(legend, &buffer, theme: theme, symbols: symbols)
  }
}
