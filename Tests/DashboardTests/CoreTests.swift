@testable import Dashboard
import Testing

/// Buffer, Rect, Layout, symbols: the pieces every widget stands on.
struct CoreTests {
  @Test func stringsAreClippedToTheBuffer() {
    var b = Buffer(width: 5, height: 2)
    let end = b.setString(x: 3, y: 0, "abcdef", style: .plain)
    #expect(end == 5)
    b.setString(x: -2, y: 1, "xyz", style: .plain)
    b.setString(x: 0, y: 7, "never", style: .plain)
    #expect(b.lines == ["   ab", "z    "])
  }

  @Test func diffListsOnlyChangedCells() {
    let a = Buffer(lines: ["abc", "def"])
    var b = a
    b[1, 1] = Cell("X")
    let changes = b.diff(from: a)
    #expect(changes.count == 1 && changes[0].x == 1 && changes[0].y == 1 && changes[0].cell.symbol == "X")
    // Another size: everything is sent.
    #expect(b.diff(from: Buffer(width: 0, height: 0)).count == 6)
  }

  @Test func layoutHonoursConstraintsAndCoversTheArea() {
    let r = Rect(x: 2, y: 1, width: 100, height: 10)
    let parts = Layout.split(r, .horizontal, [.length(10), .percentage(50), .fill, .fill])
    #expect(parts.map(\.width) == [10, 50, 20, 20])
    #expect(parts.map(\.x) == [2, 12, 62, 82])
    // Too little room: later parts shrink first; nothing negative.
    let tight = Layout.split(Rect(x: 0, y: 0, width: 10, height: 3), .vertical, [.length(2), .length(5), .min(4)])
    #expect(tight.map(\.height) == [2, 1, 0])
    #expect(Layout.split(.zero, .vertical, [.fill, .length(3)]).allSatisfy { $0.isEmpty })
    // Left-over room goes to min parts when there is no fill.
    #expect(Layout.split(Rect(x: 0, y: 0, width: 30, height: 1), .horizontal, [.length(5), .min(5)]).map(\.width) == [5, 25])
  }

  @Test func rectsInsetAndIntersect() {
    let r = Rect(x: 1, y: 1, width: 4, height: 3)
    #expect(r.inset(1) == Rect(x: 2, y: 2, width: 2, height: 1))
    #expect(r.inset(5).isEmpty)
    #expect(r.intersection(Rect(x: 3, y: 0, width: 10, height: 2)) == Rect(x: 3, y: 1, width: 2, height: 1))
    #expect(Rect(x: 0, y: 0, width: 10, height: 10).centered(width: 4, height: 2) == Rect(x: 3, y: 4, width: 4, height: 2))
  }

  @Test func brailleDotsFollowTheUnicodeLayout() {
    let s = Symbols.unicode
    // Unicode: dot 1 (top-left) is U+2801, dot 8 (bottom-right) is U+2880, all eight U+28FF.
    #expect(s.braille(0b0000_0001) == "⠁")
    #expect(s.braille(0b1000_0000) == "⢀")
    #expect(s.braille(0b0000_1000) == "⡀")  // left column, bottom row: dot 7
    #expect(s.braille(0xFF) == "⣿")
    #expect(s.braille(0) == "⠀")
    #expect(Symbols.ascii.braille(0) == " " && Symbols.ascii.braille(0xFF) == "*")
  }

  @Test func canvasDrawsLinesDotByDot() {
    var c = BrailleCanvas(width: 2, height: 1)  // 4 × 4 dots
    c.line(0, 3, 3, 0, color: .indexed(1))  // a diagonal from bottom-left to top-right
    var b = Buffer(width: 2, height: 1)
    c.render(into: &b, x: 0, y: 0, theme: BuiltinThemes.standard, symbols: .unicode)
    // Left cell: dots (0,3) and (1,2) → dot 7 and dot 6 → U+2840 + U+2820 = ⡠.
    // Right cell: dots (2,1) and (3,0) → dot 2 and dot 4 → U+2802 + U+2808 = ⠊.
    #expect(b.lines == ["⡠⠊"])
    #expect(b[0, 0].style.fg == .indexed(1))
  }

  @Test func paletteMapsBetweenColourDepths() {
    #expect(Color.indexed(196).rgb! == (255, 0, 0))
    #expect(Color.indexed(244).rgb! == (128, 128, 128))
    #expect(Color.nearest(r: 255, g: 0, b: 0) == .indexed(196))
    #expect(Color.indexed(196).reduced(to: 8) == .indexed(1))
    #expect(Color.indexed(21).reduced(to: 8) == .indexed(4))
    #expect(Color.indexed(3).reduced(to: 8) == .indexed(3) && Color.default.reduced(to: 8) == .default)
  }
}
