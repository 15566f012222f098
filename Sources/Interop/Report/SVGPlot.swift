import NumberFormat
import Foundation
import RunEvents

/// `nntop plot`: a run log's curves as a stand-alone SVG for a report — the
/// loss (training per sample with its min–max band, validation per epoch),
/// the accuracy or RMSE, and optionally ‖∂J/∂W‖ per layer on a log scale;
/// events (η changes, divergence, resets, resumes) as dashed marks.
public struct SVGPlot {
  public var recording: RunRecording
  public var gradients = false
  public var logScaleLoss = false
  public static let width = 900.0
  /// The comment that tells a later `nntop plot` this file is its own to replace.
  public static let mark = "<!-- written by nntop plot -->"
  static let panelHeight = 280.0
  static let margin = (left: 70.0, right: 150.0, top: 34.0, bottom: 40.0)
  /// Okabe–Ito: distinguishable with every common colour-vision deficiency.
  static let palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]

  public init(recording: RunRecording, gradients: Bool = false, logScaleLoss: Bool = false) {
    self.recording = recording
    self.gradients = gradients
    self.logScaleLoss = logScaleLoss
  }

  /// One line of a panel: its points (x = step), colour, and whether dashed.
  struct Line {
    var name: String
    var id: String
    var points: [(x: Double, y: Double)]
    var color: String
    var band: [(x: Double, lo: Double, hi: Double)] = []
    var markers = false
    /// `stroke-dasharray`, to tell apart lines that share a colour.
    var dash: String? = nil
  }

  struct Panel {
    var title: String
    var lines: [Line]
    var logScale: Bool
  }

  public func render() -> String {
    var samples: [RunSample] = [], epochs: [EpochRecord] = [], marks: [(step: Int, label: String)] = []
    for event in recording.events {
      switch event {
      case .sample(let s): samples.append(s)
      case .epoch(let e): epochs.append(e)
      case .event(let e):
        if let label = e.kind.markLabel { marks.append((e.step, label)) }
      default: break
      }
    }
    let info = recording.info
    let metricName = info.isClassification ? "accuracy" : "RMSE"
    var panels = [
      Panel(
        title: "loss", lines: [
          Line(
            name: "train", id: "loss-train", points: samples.map { (Double($0.step), Double($0.loss.mean)) }, color: Self.palette[0],
            band: samples.map { (Double($0.step), Double($0.loss.min), Double($0.loss.max)) }),
          Line(name: "validation", id: "loss-validation", points: epochs.compactMap { e in e.validationLoss.map { (Double(e.step), $0) } }, color: Self.palette[1], markers: true),
        ], logScale: logScaleLoss),
      Panel(
        title: metricName, lines: [
          Line(name: "train", id: "metric-train", points: samples.map { (Double($0.step), Double($0.metric.mean)) }, color: Self.palette[0]),
          Line(name: "validation", id: "metric-validation", points: epochs.compactMap { e in e.validationMetric.map { (Double(e.step), $0) } }, color: Self.palette[1], markers: true),
        ], logScale: false),
    ]
    if gradients {
      panels.append(
        Panel(
          title: "‖∂J/∂W‖ per layer", lines: info.layerNames.indices.map { l in
            Line(
              name: info.layerNames[l], id: "grad-W\(l + 1)",
              points: samples.compactMap { s in l < s.layers.count && s.layers[l].gradientNorm > 0 ? (Double(s.step), s.layers[l].gradientNorm) : nil },
              color: Self.palette[l % Self.palette.count],
              // Past the palette, the colours come round again: dashed, then dotted.
              dash: [nil, "7 3", "2 2"][(l / Self.palette.count) % 3])
          }, logScale: true))
    }
    // The run overfitting (its latest verdict): said under the title, its
    // best epoch marked on the loss; a run that recovered says when it was.
    let flagged = epochs.last { $0.overfitting != nil }
    let verdict = flagged?.overfitting
    let top = verdict == nil ? 30.0 : 48
    let height = Double(panels.count) * Self.panelHeight + top
    let steps = (samples.map(\.step) + epochs.map(\.step)).max() ?? 1
    var svg = """
      <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(Self.width))" height="\(Int(height))" viewBox="0 0 \(Int(Self.width)) \(Int(height))" font-family="Helvetica, Arial, sans-serif" font-size="12">
      \(Self.mark)
      <rect width="100%" height="100%" fill="white"/>
      <text x="\(Self.margin.left)" y="20" font-size="15" font-weight="bold">\(Self.escape("\(info.dataName) · \(info.networkDescription)"))</text>

      """
    if let verdict, let flagged {
      let recovered = epochs.last?.overfitting == nil
      let text = recovered ? "\(OverfittingVerdict.badge) from epoch \(verdict.since) to \(flagged.epoch), then no longer: \(verdict.message)" : verdict.headline
      svg += "<text class=\"verdict\" x=\"\(Self.margin.left)\" y=\"38\" fill=\"\(Self.palette[1])\" font-size=\"11\">\(Self.escape(text))</text>\n"
    }
    for (i, panel) in panels.enumerated() {
      let best = i == 0 ? verdict.map { (step: $0.bestStep, label: "best val_loss (epoch \($0.bestEpoch))") } : nil
      svg += render(panel, top: top + Double(i) * Self.panelHeight, steps: Double(max(steps, 1)), marks: marks, best: best)
    }
    return svg + "</svg>\n"
  }

  private func render(_ panel: Panel, top: Double, steps: Double, marks: [(step: Int, label: String)], best: (step: Int, label: String)?) -> String {
    let m = Self.margin
    let plot = (x: m.left, y: top + m.top, w: Self.width - m.left - m.right, h: Self.panelHeight - m.top - m.bottom)
    let ys = panel.lines.flatMap { $0.points.map(\.y) + $0.band.flatMap { [$0.lo, $0.hi] } }.filter { $0.isFinite && (!panel.logScale || $0 > 0) }
    // The value range (in log10 units on a log axis); 0…1 when nothing can be drawn.
    var lo = 0.0, hi = 1.0
    if let low = ys.min(), let high = ys.max() {
      (lo, hi) = panel.logScale ? (Foundation.log10(low), Foundation.log10(high)) : (low, high)
    }
    if hi - lo < 1e-12 { (lo, hi) = (lo - 0.5, hi + 0.5) }
    let pad = (hi - lo) * 0.05
    (lo, hi) = (lo - pad, hi + pad)
    func px(_ x: Double) -> Double { plot.x + x / steps * plot.w }
    func py(_ y: Double) -> Double {
      let v = panel.logScale ? Foundation.log10(y) : y
      return plot.y + plot.h - (v - lo) / (hi - lo) * plot.h
    }
    func f(_ v: Double) -> String { fixed(v, 1) }
    var s = "<g data-panel=\"\(Self.escape(panel.title))\">\n"
    s += "<text x=\"\(f(plot.x))\" y=\"\(f(plot.y - 10))\" font-weight=\"bold\">\(Self.escape(panel.title))\(panel.logScale ? " (log scale)" : "")</text>\n"
    // Grid and ticks.
    for tick in Self.ticks(lo, hi, log: panel.logScale) {
      let y = plot.y + plot.h - (tick.position - lo) / (hi - lo) * plot.h
      s += "<line x1=\"\(f(plot.x))\" x2=\"\(f(plot.x + plot.w))\" y1=\"\(f(y))\" y2=\"\(f(y))\" stroke=\"#e4e4e4\"/>\n"
      s += "<text x=\"\(f(plot.x - 6))\" y=\"\(f(y + 4))\" text-anchor=\"end\">\(tick.label)</text>\n"
    }
    for tick in Self.ticks(0, steps, log: false) where tick.position >= 0 && tick.position <= steps {
      let x = px(tick.position)
      s += "<text x=\"\(f(x))\" y=\"\(f(plot.y + plot.h + 16))\" text-anchor=\"middle\">\(tick.label)</text>\n"
    }
    s += "<text x=\"\(f(plot.x + plot.w))\" y=\"\(f(plot.y + plot.h + 32))\" text-anchor=\"end\" fill=\"#555\">step</text>\n"
    s += "<rect x=\"\(f(plot.x))\" y=\"\(f(plot.y))\" width=\"\(f(plot.w))\" height=\"\(f(plot.h))\" fill=\"none\" stroke=\"#888\"/>\n"
    for mark in marks {
      let x = px(Double(mark.step))
      s += "<line class=\"mark\" x1=\"\(f(x))\" x2=\"\(f(x))\" y1=\"\(f(plot.y))\" y2=\"\(f(plot.y + plot.h))\" stroke=\"#999\" stroke-dasharray=\"4 3\"/>"
      s += "<text x=\"\(f(x + 3))\" y=\"\(f(plot.y + 12))\" fill=\"#666\" font-size=\"11\">\(Self.escape(mark.label))</text>\n"
    }
    if let best {
      let x = px(Double(best.step)), color = Self.palette[1]
      s += "<line class=\"best\" x1=\"\(f(x))\" x2=\"\(f(x))\" y1=\"\(f(plot.y))\" y2=\"\(f(plot.y + plot.h))\" stroke=\"\(color)\" stroke-width=\"1.2\"/>"
      s += "<text x=\"\(f(x + 3))\" y=\"\(f(plot.y + plot.h - 6))\" fill=\"\(color)\" font-size=\"11\">\(Self.escape(best.label))</text>\n"
    }
    // Lines, each with its legend entry: closer entries and smaller text for
    // many layers, down to 7 px apart; past that, the last entry says how
    // many more there are.
    let spacing = Swift.max(7, Swift.min(18, (plot.h - 4) / Double(Swift.max(panel.lines.count, 1))))
    let entries = Swift.min(panel.lines.count, Int((plot.h - 4) / spacing))
    for (i, line) in panel.lines.enumerated() {
      let usable = line.points.filter { $0.y.isFinite && (!panel.logScale || $0.y > 0) }
      let band = line.band.filter { $0.lo.isFinite && $0.hi.isFinite && (!panel.logScale || $0.lo > 0) }
      if band.count > 1 {
        let upper = band.map { "\(f(px($0.x))),\(f(py($0.hi)))" }, lower = band.reversed().map { "\(f(px($0.x))),\(f(py($0.lo)))" }
        s += "<polygon class=\"band\" points=\"\((upper + lower).joined(separator: " "))\" fill=\"\(line.color)\" fill-opacity=\"0.15\" stroke=\"none\"/>\n"
      }
      let points = usable.map { "\(f(px($0.x))),\(f(py($0.y)))" }.joined(separator: " ")
      let dash = line.dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
      s += "<polyline data-series=\"\(line.id)\" points=\"\(points)\" fill=\"none\" stroke=\"\(line.color)\" stroke-width=\"1.6\"\(dash)/>\n"
      if line.markers {
        for p in usable { s += "<circle cx=\"\(f(px(p.x)))\" cy=\"\(f(py(p.y)))\" r=\"2.5\" fill=\"\(line.color)\"/>" }
        s += "\n"
      }
      guard i < entries else { continue }
      let ly = plot.y + Swift.min(14, spacing) + Double(i) * spacing
      let lx = plot.x + plot.w + 12
      let size = spacing < 14 ? " font-size=\"\(f(spacing - 1))\"" : ""
      if i == entries - 1 && entries < panel.lines.count {
        s += "<text x=\"\(f(lx))\" y=\"\(f(ly))\"\(size)>+\(panel.lines.count - i) more</text>\n"
        continue
      }
      s += "<line x1=\"\(f(lx))\" x2=\"\(f(lx + 18))\" y1=\"\(f(ly - 4))\" y2=\"\(f(ly - 4))\" stroke=\"\(line.color)\" stroke-width=\"2.5\"\(dash)/>"
      s += "<text x=\"\(f(lx + 24))\" y=\"\(f(ly))\"\(size)>\(Self.escape(line.name))</text>\n"
    }
    return s + "</g>\n"
  }

  /// Round-number ticks over lo…hi. On a log axis (lo and hi in log10
  /// units) powers of ten; over less than three decades 1, 2 and 5 times
  /// them; over less than one, round numbers of the values themselves — at
  /// least three labels whenever the range allows.
  static func ticks(_ lo: Double, _ hi: Double, log: Bool) -> [(position: Double, label: String)] {
    guard lo.isFinite, hi.isFinite, lo <= hi else { return [] }
    if log {
      let first = Int(lo.rounded(.up)), last = Int(hi.rounded(.down))
      if last - first >= 2 {
        let every = max(1, (last - first + 1) / 6)
        return Swift.stride(from: first, through: last, by: every).map { (Double($0), "1e\($0)") }
      }
      var ticks: [(Double, String)] = []
      for e in Int(lo.rounded(.down))...Int(hi.rounded(.up)) {
        for m in [1.0, 2, 5] {
          let p = Foundation.log10(m) + Double(e)
          if p >= lo - 1e-9 && p <= hi + 1e-9 { ticks.append((p, general(m * Foundation.pow(10, Double(e))))) }
        }
      }
      if ticks.count >= 3 { return ticks }
      return Self.ticks(Foundation.pow(10, lo), Foundation.pow(10, hi), log: false).filter { $0.position > 0 }.map { (Foundation.log10($0.position), $0.label) }
    }
    let span = hi - lo
    guard span > 0, span.isFinite else { return [] }
    let raw = span / 5
    let magnitude = Foundation.pow(10, (Foundation.log10(raw)).rounded(.down))
    let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
    var ticks: [(Double, String)] = []
    var v = (lo / step).rounded(.up) * step
    while v <= hi + step * 1e-9 {
      ticks.append((v, general((v / step).rounded() * step + 0)))
      v += step
    }
    return ticks
  }

  static func escape(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
      .replacingOccurrences(of: "\"", with: "&quot;")
  }
}
