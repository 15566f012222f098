/// The characters widgets draw with: Unicode (braille, eighth blocks, box
/// drawing) or plain ASCII where the terminal cannot show UTF-8.
public struct Symbols: Sendable, Equatable {
  public var unicode: Bool

  public static let unicode = Symbols(unicode: true)
  public static let ascii = Symbols(unicode: false)

  public var horizontal: Character { unicode ? "─" : "-" }
  public var vertical: Character { unicode ? "│" : "|" }
  public var topLeft: Character { unicode ? "┌" : "+" }
  public var topRight: Character { unicode ? "┐" : "+" }
  public var bottomLeft: Character { unicode ? "└" : "+" }
  public var bottomRight: Character { unicode ? "┘" : "+" }
  public var tick: Character { unicode ? "┤" : "+" }
  public var axisCorner: Character { unicode ? "└" : "+" }
  public var upperHalf: Character { unicode ? "▀" : "#" }
  public var point: Character { unicode ? "●" : "o" }
  public var cursor: Character { unicode ? "▏" : "_" }
  public var invalid: Character { unicode ? "×" : "x" }
  public var ellipsis: String { unicode ? "…" : "..." }
  /// Marks the best validation epoch under a chart's x axis.
  public var bestMark: Character { unicode ? "▲" : "*" }

  /// Sparkline levels, lowest first.
  public var sparks: [Character] { unicode ? ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"] : ["_", ".", "-", "~", "=", "*", "#", "@"] }

  /// Left-aligned partial blocks, 0/8 … 8/8 of a cell.
  public var eighths: [Character] { unicode ? [" ", "▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"] : [" ", " ", " ", "=", "=", "=", "=", "#", "#"] }

  /// Shading from empty to full, for heatmaps without colour.
  public var shades: [Character] { unicode ? [" ", "░", "▒", "▓", "█"] : [" ", ".", ":", "#", "@"] }

  /// The braille character with the given dots set: bit i of `dots` is dot
  /// (column i / 4, row i % 4) of the 2×4 cell. ASCII falls back to a mark
  /// for any set dot.
  public func braille(_ dots: UInt8) -> Character {
    guard unicode else { return dots == 0 ? " " : (dots & 0b1000_1000 != 0 && dots & 0b0001_0001 == 0 ? "." : "*") }
    // Unicode braille: dots 1-3 (left column) are bits 0-2, 4-6 (right) bits 3-5, 7 and 8 are bits 6 and 7.
    let left = [UInt32(0x01), 0x02, 0x04, 0x40], right = [UInt32(0x08), 0x10, 0x20, 0x80]
    var code: UInt32 = 0
    for row in 0..<4 {
      if dots & (1 << row) != 0 { code |= left[row] }
      if dots & (1 << (4 + row)) != 0 { code |= right[row] }
    }
    return Character(Unicode.Scalar(0x2800 + code)!)
  }
}
