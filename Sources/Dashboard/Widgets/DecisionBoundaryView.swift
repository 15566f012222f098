import RunEvents

/// The model's decision over the input plane (2-D data), as TensorFlow
/// Playground shows it: each class's colour, paler where the model is unsure,
/// with the training points on top. Two samples per cell (half blocks).
/// Without colour: a shade per class, points as a glyph per class.
public struct DecisionBoundaryView {
  public var field: DecisionField
  public var points: [PlanePoint]
  public var classCount: Int

  public init(field: DecisionField, points: [PlanePoint], classCount: Int) {
    self.field = field
    self.points = points
    self.classCount = classCount
  }

  static let monoPoints: [Character] = ["●", "○", "■", "□", "▲", "△", "◆", "◇", "+", "x"]

  /// Class colour mixed toward the background grey: 4 levels of confidence.
  static func shades(of color: Color, background: Color) -> [Color] {
    guard let c = color.rgb else { return Array(repeating: color, count: 4) }
    let b = background.rgb ?? (28, 28, 28)
    return [0.22, 0.38, 0.55, 0.75].map { t in
      Color.nearest(
        r: Int(Double(b.r) + (Double(c.r) - Double(b.r)) * t), g: Int(Double(b.g) + (Double(c.g) - Double(b.g)) * t),
        b: Int(Double(b.b) + (Double(c.b) - Double(b.b)) * t))
    }
  }

  public func render(_ area: Rect, _ buffer: inout Buffer, theme: Theme, symbols: Symbols) {
    guard area.width > 0, area.height > 0, field.columns > 0, field.rows > 0 else { return }
    let k = max(classCount, 2)
    let palette = (0..<k).map { Self.shades(of: theme.classColor($0), background: theme.background) }
    func sample(column c: Int, row r: Int, rows: Int) -> (cls: Int, level: Int) {
      let fc = min(c * field.columns / area.width, field.columns - 1)
      let fr = min(r * field.rows / rows, field.rows - 1)
      let i = fr * field.columns + fc
      let cls = Int(field.classes[i])
      let floor = 1 / Float(k)
      let t = (field.confidence[i] - floor) / (1 - floor)
      guard t.isFinite else { return (cls, 0) }  // a diverged model's NaN: the palest shade
      return (cls, min(3, max(0, Int(t * 4))))
    }
    let mono = theme.heatmapShading || theme.monochrome
    for cy in 0..<area.height {
      for cx in 0..<area.width {
        if mono {
          let s = sample(column: cx, row: cy, rows: area.height)
          let shades = symbols.shades
          buffer[area.x + cx, area.y + cy] = Cell(shades[min(s.cls % 3, shades.count - 1)], style: theme.dimmed)
        } else {
          let top = sample(column: cx, row: 2 * cy, rows: 2 * area.height)
          let bottom = sample(column: cx, row: 2 * cy + 1, rows: 2 * area.height)
          buffer[area.x + cx, area.y + cy] = Cell(
            symbols.upperHalf, style: Style(fg: palette[top.cls % k][top.level], bg: palette[bottom.cls % k][bottom.level]))
        }
      }
    }
    let xSpan = field.xRange.upperBound - field.xRange.lowerBound, ySpan = field.yRange.upperBound - field.yRange.lowerBound
    for p in points {
      let fx = (p.x - field.xRange.lowerBound) / xSpan * Float(area.width), fy = (field.yRange.upperBound - p.y) / ySpan * Float(area.height)
      guard fx.isFinite, fy.isFinite else { continue }
      let cx = Int(fx), cy = Int(fy)
      guard cx >= 0, cx < area.width, cy >= 0, cy < area.height else { continue }
      let x = area.x + cx, y = area.y + cy
      if mono {
        let glyph = symbols.unicode ? Self.monoPoints[p.label % Self.monoPoints.count] : Character(String(p.label % 10))
        buffer[x, y] = Cell(glyph, style: theme.base.bolded)
      } else {
        let under = buffer[x, y].style.bg
        buffer[x, y] = Cell(symbols.point, style: Style(fg: theme.classColor(p.label), bg: under, bold: true))
      }
    }
  }
}
