/// A drawing surface of braille dots: 2×4 dots per cell, one colour per cell
/// (the last drawn wins, as in ratatui's canvas layers).
public struct BrailleCanvas {
  public let width: Int  // cells
  public let height: Int  // cells
  private var dots: [UInt8]
  private var colors: [Color?]

  public init(width: Int, height: Int) {
    self.width = max(0, width)
    self.height = max(0, height)
    dots = Array(repeating: 0, count: self.width * self.height)
    colors = Array(repeating: nil, count: self.width * self.height)
  }

  public var dotWidth: Int { width * 2 }
  public var dotHeight: Int { height * 4 }

  /// Sets the dot at (x, y), y = 0 at the top; outside points are ignored.
  public mutating func set(_ x: Int, _ y: Int, color: Color) {
    guard x >= 0, y >= 0, x < dotWidth, y < dotHeight else { return }
    let cell = (y / 4) * width + x / 2
    dots[cell] |= 1 << UInt8((x % 2) * 4 + y % 4)
    colors[cell] = color
  }

  /// A straight line of dots (Bresenham).
  public mutating func line(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int, color: Color) {
    var x = x0, y = y0
    let dx = abs(x1 - x0), dy = -abs(y1 - y0)
    let sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1
    var err = dx + dy
    var guardSteps = dx - dy + 2
    while guardSteps > 0 {
      set(x, y, color: color)
      if x == x1 && y == y1 { break }
      let e2 = 2 * err
      if e2 >= dy {
        err += dy
        x += sx
      }
      if e2 <= dx {
        err += dx
        y += sy
      }
      guardSteps -= 1
    }
  }

  /// Copies the canvas into `buffer` with its top-left at (x, y); empty cells are left alone.
  public func render(into buffer: inout Buffer, x: Int, y: Int, theme: Theme, symbols: Symbols) {
    for cy in 0..<height {
      for cx in 0..<width {
        let i = cy * width + cx
        guard dots[i] != 0 else { continue }
        buffer[x + cx, y + cy] = Cell(symbols.braille(dots[i]), style: theme.ink(colors[i] ?? theme.text))
      }
    }
  }
}
