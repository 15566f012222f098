/// A bordered panel with a title (and an optional right-aligned note) on its
/// top edge; returns the inner area for the content.
public struct Block {
  public var title: String
  public var note: String = ""
  public var highlighted = false

  public init(title: String, note: String = "", highlighted: Bool = false) {
    self.title = title
    self.note = note
    self.highlighted = highlighted
  }

  /// Draws the border and title; returns the area inside.
  @discardableResult
  public func render(_ area: Rect, _ buffer: inout Buffer, theme: Theme, symbols: Symbols) -> Rect {
    guard area.width >= 2 && area.height >= 2 else { return .zero }
    let border = highlighted ? theme.accentStyle : theme.borderStyle
    for x in area.x..<area.right {
      buffer[x, area.y] = Cell(symbols.horizontal, style: border)
      buffer[x, area.bottom - 1] = Cell(symbols.horizontal, style: border)
    }
    for y in area.y..<area.bottom {
      buffer[area.x, y] = Cell(symbols.vertical, style: border)
      buffer[area.right - 1, y] = Cell(symbols.vertical, style: border)
    }
    buffer[area.x, area.y] = Cell(symbols.topLeft, style: border)
    buffer[area.right - 1, area.y] = Cell(symbols.topRight, style: border)
    buffer[area.x, area.bottom - 1] = Cell(symbols.bottomLeft, style: border)
    buffer[area.right - 1, area.bottom - 1] = Cell(symbols.bottomRight, style: border)
    let room = area.width - 4
    if room > 0 && !title.isEmpty {
      let shown = truncate(" \(title) ", to: room, symbols: symbols)
      buffer.setString(x: area.x + 1, y: area.y, shown, style: theme.titleStyle)
      let noteRoom = room - shown.count - 1
      if noteRoom > 2 && !note.isEmpty {
        let n = truncate(" \(note) ", to: noteRoom, symbols: symbols)
        buffer.setString(x: area.right - 1 - n.count, y: area.y, n, style: theme.dimmed)
      }
    }
    return area.inset(1)
  }
}

/// `text` cut to `width` characters, ending in an ellipsis when cut.
public func truncate(_ text: String, to width: Int, symbols: Symbols = .unicode) -> String {
  guard width > 0 else { return "" }
  guard text.count > width else { return text }
  let mark = symbols.ellipsis
  guard width > mark.count else { return String(text.prefix(width)) }
  return String(text.prefix(width - mark.count)) + mark
}

/// `text` broken into lines of at most `width` characters, at spaces where
/// it can be (a word longer than a line is cut).
public func wrap(_ text: String, to width: Int) -> [String] {
  guard width > 0 else { return [] }
  var lines: [String] = []
  var line = ""
  for word in text.split(separator: " ") {
    var word = Substring(word)
    while word.count > width {
      if !line.isEmpty { lines.append(line); line = "" }
      lines.append(String(word.prefix(width)))
      word = word.dropFirst(width)
    }
    if line.isEmpty {
      line = String(word)
    } else if line.count + 1 + word.count <= width {
      line += " " + word
    } else {
      lines.append(line)
      line = String(word)
    }
  }
  if !line.isEmpty { lines.append(line) }
  return lines
}

/// `text` padded with spaces (or cut) to exactly `width` characters.
public func pad(_ text: String, to width: Int, alignRight: Bool = false) -> String {
  guard width > 0 else { return "" }
  if text.count >= width { return String(text.prefix(width)) }
  let fill = String(repeating: " ", count: width - text.count)
  return alignRight ? fill + text : text + fill
}
