/// The screen as cells, in memory: widgets render here and tests read it.
/// Writes outside `area` are clipped.
public struct Buffer: Sendable, Equatable {
  public let area: Rect
  public private(set) var cells: [Cell]

  public init(area: Rect, filling cell: Cell = .blank) {
    self.area = area
    cells = Array(repeating: cell, count: area.area)
  }

  public init(width: Int, height: Int) {
    self.init(area: Rect(x: 0, y: 0, width: width, height: height))
  }

  /// A buffer from lines of text in the default style (tests compare against it).
  public init(lines: [String]) {
    let width = lines.map(\.count).max() ?? 0
    self.init(width: width, height: lines.count)
    for (y, line) in lines.enumerated() { setString(x: 0, y: y, line, style: .plain) }
  }

  private func index(_ x: Int, _ y: Int) -> Int? {
    guard area.contains(x: x, y: y) else { return nil }
    return (y - area.y) * area.width + (x - area.x)
  }

  public subscript(x: Int, y: Int) -> Cell {
    get { index(x, y).map { cells[$0] } ?? .blank }
    set { if let i = index(x, y) { cells[i] = newValue } }
  }

  /// Writes a string from (x, y), clipped to `area` and to `maxWidth`; returns the x after it.
  @discardableResult
  public mutating func setString(x: Int, y: Int, _ text: String, style: Style, maxWidth: Int? = nil) -> Int {
    var cx = x
    let limit = maxWidth.map { x + $0 } ?? area.right
    for ch in text {
      guard cx < limit else { break }
      if let i = index(cx, y) { cells[i] = Cell(ch, style: style) }
      cx += 1
    }
    return cx
  }

  /// Sets the style of every cell in `rect` (keeping symbols).
  public mutating func setStyle(_ rect: Rect, _ style: Style) {
    let r = rect.intersection(area)
    for y in r.y..<r.bottom {
      for x in r.x..<r.right { cells[index(x, y)!].style = style }
    }
  }

  /// Fills `rect` with one cell.
  public mutating func fill(_ rect: Rect, with cell: Cell) {
    let r = rect.intersection(area)
    for y in r.y..<r.bottom {
      for x in r.x..<r.right { cells[index(x, y)!] = cell }
    }
  }

  /// The symbols of one row, as text (for tests and text captures).
  public func line(_ y: Int) -> String {
    String((area.x..<area.right).map { self[$0, y].symbol })
  }

  /// Every row as text.
  public var lines: [String] { (area.y..<area.bottom).map { line($0) } }

  /// The cells that differ from `previous` (same area), row by row, for flushing.
  public func diff(from previous: Buffer) -> [(x: Int, y: Int, cell: Cell)] {
    guard previous.area == area else {
      return cells.indices.map { (area.x + $0 % area.width, area.y + $0 / area.width, cells[$0]) }
    }
    var changes: [(x: Int, y: Int, cell: Cell)] = []
    for i in cells.indices where cells[i] != previous.cells[i] {
      changes.append((area.x + i % area.width, area.y + i / area.width, cells[i]))
    }
    return changes
  }
}
