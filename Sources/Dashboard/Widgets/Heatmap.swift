import RunEvents
import NumberFormat

/// A matrix as colours on a diverging ramp centred on 0: two values per cell
/// (upper half block over lower), averaged down when the matrix is larger
/// than the area. Without colour, one value per cell in shading characters
/// (bold for positive, dim for negative). NaN shows as ×.
public struct Heatmap {
  public var matrix: WeightMatrix
  /// Values map to the ramp over −scale…+scale.
  public var scale: Float

  public init(matrix: WeightMatrix, scale: Float? = nil) {
    self.matrix = matrix
    self.scale = scale ?? Heatmap.symmetricScale(matrix.storage)
  }

  /// The largest finite |value| (1 if there is none).
  public static func symmetricScale(_ values: [Float]) -> Float {
    var m: Float = 0
    for v in values where v.isFinite { m = max(m, abs(v)) }
    return m > 0 ? m : 1
  }

  /// The matrix fitted to at most `rows × cols`, each dimension on its own:
  /// larger than the area, averaged down (output cell (r, c) is the mean of
  /// the input block it covers, blocks spread evenly so the area is filled;
  /// NaN spreads to its block); smaller, each weight repeated a whole number
  /// of times, so it shows as a larger block and every block is the same size.
  public static func fit(_ m: WeightMatrix, rows: Int, cols: Int) -> WeightMatrix {
    guard rows > 0, cols > 0, m.rows > 0, m.cols > 0 else { return WeightMatrix(rows: 0, cols: 0) }
    let outRows = m.rows > rows ? rows : m.rows * (rows / m.rows), outCols = m.cols > cols ? cols : m.cols * (cols / m.cols)
    if outRows == m.rows && outCols == m.cols { return m }
    /// The input span output index `i` of `n` covers along a dimension of `size`.
    func span(_ i: Int, _ n: Int, _ size: Int) -> Range<Int> {
      guard n < size else { return (i * size / n)..<(i * size / n + 1) }  // repeated: one input each
      let start = i * size / n
      return start..<max((i + 1) * size / n, start + 1)
    }
    var out = WeightMatrix(rows: outRows, cols: outCols)
    for r in 0..<outRows {
      let ys = span(r, outRows, m.rows)
      for c in 0..<outCols {
        let xs = span(c, outCols, m.cols)
        var sum: Float = 0
        for y in ys {
          for x in xs { sum += m.storage[y * m.cols + x] }
        }
        out[r, c] = sum / Float(ys.count * xs.count)
      }
    }
    return out
  }

  /// The ramp index of a value.
  static func level(_ v: Float, scale: Float, count: Int) -> Int {
    let t = min(max(v / scale, -1), 1)
    return Int(((t + 1) / 2 * Float(count - 1)).rounded())
  }

  public func render(_ area: Rect, _ buffer: inout Buffer, theme: Theme, symbols: Symbols) {
    guard area.width > 0, area.height > 0, !matrix.storage.isEmpty else { return }
    let shading = theme.heatmapShading
    let m = Heatmap.fit(matrix, rows: shading ? area.height : 2 * area.height, cols: area.width)
    if shading {
      let shades = symbols.shades
      for r in 0..<min(m.rows, area.height) {
        for c in 0..<min(m.cols, area.width) {
          let v = m[r, c]
          guard v.isFinite else {
            buffer[area.x + c, area.y + r] = Cell(symbols.invalid, style: theme.badge(theme.bad, emphasis: true))
            continue
          }
          let magnitude = Int((min(abs(v) / scale, 1) * Float(shades.count - 1)).rounded())
          var style = theme.ink(v >= 0 ? theme.heatmap.last! : theme.heatmap.first!)
          if v > 0 { style.bold = true } else if v < 0 { style.dim = true }
          buffer[area.x + c, area.y + r] = Cell(shades[magnitude], style: style)
        }
      }
      return
    }
    let ramp = theme.heatmap
    for cy in 0..<min((m.rows + 1) / 2, area.height) {
      for c in 0..<min(m.cols, area.width) {
        let top = m[2 * cy, c]
        let bottom: Float? = 2 * cy + 1 < m.rows ? m[2 * cy + 1, c] : nil
        if !top.isFinite || !(bottom?.isFinite ?? true) {
          buffer[area.x + c, area.y + cy] = Cell(symbols.invalid, style: theme.badge(theme.bad, emphasis: true))
          continue
        }
        let fg = ramp[Heatmap.level(top, scale: scale, count: ramp.count)]
        let bg = bottom.map { ramp[Heatmap.level($0, scale: scale, count: ramp.count)] } ?? theme.background
        buffer[area.x + c, area.y + cy] = Cell(symbols.upperHalf, style: Style(fg: fg, bg: bg))
      }
    }
  }
}

/// The scale of a heatmap on one row: `−0.52 ▀▀▀▀▀ +0.52` (or shading).
public struct HeatmapLegend {
  public var scale: Float

  public init(scale: Float) { self.scale = scale }

  public func render(_ area: Rect, _ buffer: inout Buffer, theme: Theme, symbols: Symbols) {
    guard area.width > 0, area.height > 0 else { return }
    let lo = "−" + ChartFormat.compact(Double(scale)), hi = "+" + ChartFormat.compact(Double(scale))
    let swatches = theme.heatmapShading ? 9 : theme.heatmap.count
    guard area.width >= lo.count + hi.count + swatches + 2 else {
      buffer.setString(x: area.x, y: area.y, truncate("±" + ChartFormat.compact(Double(scale)), to: area.width, symbols: symbols), style: theme.dimmed)
      return
    }
    var x = buffer.setString(x: area.x, y: area.y, lo + " ", style: theme.dimmed)
    if theme.heatmapShading {
      let shades = symbols.shades
      let values: [Float] = [-1, -0.75, -0.5, -0.25, 0, 0.25, 0.5, 0.75, 1]
      for v in values {
        var style = theme.base
        if v > 0 { style.bold = true } else if v < 0 { style.dim = true }
        buffer[x, area.y] = Cell(shades[Int((abs(v) * Float(shades.count - 1)).rounded())], style: style)
        x += 1
      }
    } else {
      for color in theme.heatmap {
        buffer[x, area.y] = Cell(symbols.upperHalf, style: Style(fg: color, bg: color))
        x += 1
      }
    }
    buffer.setString(x: x + 1, y: area.y, hi, style: theme.dimmed)
  }
}

/// Each hidden unit's incoming weights drawn as a small image (digits 8×8,
/// MNIST 28×28), side by side, all on one shared scale.
public struct ImageTiles {
  public var weights: WeightMatrix  // (units, pixels)
  public var imageRows: Int
  public var imageCols: Int

  public init(weights: WeightMatrix, imageRows: Int, imageCols: Int) {
    self.weights = weights
    self.imageRows = imageRows
    self.imageCols = imageCols
  }

  /// Tiles that fit in `area` (and their pixel down-sampling factor).
  public func layout(in area: Rect, theme: Theme) -> (columns: Int, rows: Int, factor: Int, tileWidth: Int, tileHeight: Int) {
    var factor = 1
    while imageCols / factor > 14 { factor += 1 }
    let tileWidth = (imageCols + factor - 1) / factor
    let pixelRows = (imageRows + factor - 1) / factor
    let tileHeight = theme.heatmapShading ? pixelRows : (pixelRows + 1) / 2
    let columns = max((area.width + 1) / (tileWidth + 1), 0)
    let rows = max((area.height + 1) / (tileHeight + 1), 0)
    return (columns, rows, factor, tileWidth, tileHeight)
  }

  /// Draws as many units as fit; returns how many were drawn.
  @discardableResult
  public func render(_ area: Rect, _ buffer: inout Buffer, theme: Theme, symbols: Symbols) -> Int {
    let l = layout(in: area, theme: theme)
    guard l.columns > 0, l.rows > 0 else { return 0 }
    let scale = Heatmap.symmetricScale(weights.storage)
    let shown = min(weights.rows, l.columns * l.rows)
    for unit in 0..<shown {
      let image = WeightMatrix(rows: imageRows, cols: imageCols, storage: Array(weights.row(unit)))
      let tile = Rect(
        x: area.x + (unit % l.columns) * (l.tileWidth + 1), y: area.y + (unit / l.columns) * (l.tileHeight + 1),
        width: l.tileWidth, height: l.tileHeight)
      Heatmap(matrix: image, scale: scale).render(tile, &buffer, theme: theme, symbols: symbols)
    }
    return shown
  }
}
