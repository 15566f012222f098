import NumberFormat
import RunEvents

/// The loss and metric charts of several runs at once: each run's training
/// curve in its own colour (the Okabe–Ito set) with its letter drawn on the
/// line, so the curves tell apart in monochrome too; the legend names each
/// run with its latest value, the selected one (Tab) marked ▸.
struct ComparedCharts {
  let state: DashboardState

  func render(loss: Rect, metric: Rect, _ buffer: inout Buffer) {
    let runs = state.compared
    let flags = state.curveFlags(logScale: state.logScale)
    chart(
      loss, &buffer, title: "Loss, \(runs.count) runs", note: flags.joined(separator: " · "), series: { $0.history.loss },
      format: { ChartFormat.compact(Double($0)) }, configure: { chart in
        chart.logScale = state.logScale
        chart.smoothing = state.smoothing
      })
    // Accuracy when every run has it; else RMSE (or each run's own metric).
    let accuracy = runs.allSatisfy { $0.view?.info.isClassification ?? true }
    chart(
      metric, &buffer, title: accuracy ? "Accuracy" : "Metric (accuracy or RMSE)", note: "Tab: next run", series: { $0.history.metric },
      format: accuracy ? { ChartFormat.percent(Double($0)) } : { ChartFormat.compact(Double($0)) }, configure: { chart in
        chart.smoothing = accuracy ? max(state.smoothing, 0.6) : state.smoothing
        if accuracy {
          chart.fixedRange = 0...1
          chart.formatY = { ChartFormat.percent($0) }
        }
      })
  }

  private func chart(
    _ area: Rect, _ buffer: inout Buffer, title: String, note: String, series: (RunView) -> Series, format: (Float) -> String,
    configure: (inout LineChart) -> Void
  ) {
    let theme = state.theme, symbols = state.symbols
    let inner = Block(title: title, note: note).render(area, &buffer, theme: theme, symbols: symbols)
    guard inner.height >= 3 else { return }
    let legend = legendLines(width: inner.width, series: series, format: format)
    let (legendArea, chartArea) = inner.splitTop(min(legend.count, max(inner.height - 3, 1)))
    for (row, entries) in legend.prefix(legendArea.height).enumerated() {
      var x = legendArea.x
      for entry in entries {
        x = buffer.setString(x: x, y: legendArea.y + row, entry.mark, style: theme.ink(entry.color).bolded, maxWidth: max(legendArea.right - x, 0))
        x = buffer.setString(x: x, y: legendArea.y + row, entry.text, style: entry.selected ? theme.base.bolded : theme.base, maxWidth: max(legendArea.right - x, 0))
      }
    }
    var lines: [ChartLine] = []
    for (i, run) in state.compared.enumerated() {
      guard let view = run.view else { continue }
      lines.append(ChartLine(series: series(view), color: theme.runColor(i), marker: ComparedRun.letter(i).first))
    }
    var chart = LineChart(lines: lines)
    chart.recent = state.curveWindow
    configure(&chart)
    chart.render(chartArea, &buffer, theme: theme, symbols: symbols)
  }

  /// `▸A healthy 0.021   B vanishing 2.30`, wrapped onto as many lines as it takes.
  private func legendLines(width: Int, series: (RunView) -> Series, format: (Float) -> String) -> [[(mark: String, text: String, color: Color, selected: Bool)]] {
    var lines: [[(mark: String, text: String, color: Color, selected: Bool)]] = [[]]
    var used = 0
    for (i, run) in state.compared.enumerated() {
      let selected = i == state.selectedRun
      let mark = (selected ? (state.symbols.unicode ? "▸" : ">") : " ") + ComparedRun.letter(i) + " "
      let value = run.view.flatMap { series($0).last }.map(format) ?? "–"
      let text = truncate("\(run.name) \(value)", to: max(width - mark.count - 3, 4), symbols: state.symbols) + "   "
      if used > 0 && used + mark.count + text.count > width {
        lines.append([])
        used = 0
      }
      lines[lines.count - 1].append((mark, text, state.theme.runColor(i), selected))
      used += mark.count + text.count
    }
    return lines
  }
}
