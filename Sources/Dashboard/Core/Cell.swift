/// A terminal colour: the terminal's default, or one of the 256 xterm colours.
public enum Color: Sendable, Hashable {
  case `default`
  case indexed(UInt8)

  /// The xterm-256 palette entry as RGB (16 system colours, 6×6×6 cube, greys).
  public var rgb: (r: Int, g: Int, b: Int)? {
    guard case .indexed(let i) = self else { return nil }
    let system: [(Int, Int, Int)] = [
      (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
      (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]
    let n = Int(i)
    if n < 16 { return system[n] }
    if n < 232 {
      let levels = [0, 95, 135, 175, 215, 255]
      let c = n - 16
      return (levels[c / 36], levels[(c / 6) % 6], levels[c % 6])
    }
    let grey = 8 + 10 * (n - 232)
    return (grey, grey, grey)
  }

  /// The nearest xterm-256 colour to an RGB value (cube or grey ramp).
  public static func nearest(r: Int, g: Int, b: Int) -> Color {
    var best = 16, bestDistance = Int.max
    for i in 16..<256 {
      let c = Color.indexed(UInt8(i)).rgb!
      let d = (c.r - r) * (c.r - r) + (c.g - g) * (c.g - g) + (c.b - b) * (c.b - b)
      if d < bestDistance {
        bestDistance = d
        best = i
      }
    }
    return .indexed(UInt8(best))
  }

  /// The same colour on a terminal with only `count` colours (8 or 16):
  /// the nearest system colour by RGB distance (among red…cyan and their
  /// bright forms only, with `chromaticOnly`).
  public func reduced(to count: Int, chromaticOnly: Bool = false) -> Color {
    guard case .indexed(let i) = self, Int(i) >= count, let c = rgb else { return self }
    var best = 0, bestDistance = Int.max
    for j in 0..<min(count, 16) where !chromaticOnly || ![0, 7, 8, 15].contains(j) {
      let s = Color.indexed(UInt8(j)).rgb!
      let d = (s.r - c.r) * (s.r - c.r) + (s.g - c.g) * (s.g - c.g) + (s.b - c.b) * (s.b - c.b)
      if d < bestDistance {
        bestDistance = d
        best = j
      }
    }
    return .indexed(UInt8(best))
  }
}

/// Foreground, background and text attributes of a cell.
public struct Style: Sendable, Hashable {
  public var fg: Color
  public var bg: Color
  public var bold: Bool
  public var dim: Bool
  public var reverse: Bool
  public var underline: Bool

  public init(fg: Color = .default, bg: Color = .default, bold: Bool = false, dim: Bool = false, reverse: Bool = false, underline: Bool = false) {
    self.fg = fg
    self.bg = bg
    self.bold = bold
    self.dim = dim
    self.reverse = reverse
    self.underline = underline
  }

  public static let plain = Style()

  public func with(fg: Color) -> Style {
    var s = self
    s.fg = fg
    return s
  }

  public func with(bg: Color) -> Style {
    var s = self
    s.bg = bg
    return s
  }

  public var bolded: Style {
    var s = self
    s.bold = true
    return s
  }

  public var reversed: Style {
    var s = self
    s.reverse = true
    return s
  }
}

/// One character cell of the screen.
public struct Cell: Sendable, Hashable {
  public var symbol: Character
  public var style: Style

  public init(_ symbol: Character = " ", style: Style = .plain) {
    self.symbol = symbol
    self.style = style
  }

  public static let blank = Cell()
}
