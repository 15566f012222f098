import CNcurses
import CTerminalGuard
import Dashboard
import Foundation

/// What the terminal reports.
public enum TerminalEvent: Sendable, Equatable {
  case key(Key)
  case resize(width: Int, height: Int)
}

/// The only ncurses user: starts and ends curses, turns keys into `Key`s,
/// and flushes `Buffer`s, sending only the cells that changed.
public final class TerminalScreen {
  /// Colours the terminal can show (8, 16, 256), or 0 without colour.
  public let colorCount: Int
  /// Whether UTF-8 output works (else ASCII symbols).
  public let unicode: Bool
  private var previous: Buffer?
  private var pairs: [Style.ColorPair: Int16] = [:]
  private var stopped = false

  /// Starts curses on the process's terminal. Call `StopSignals.install()`
  /// first, so curses leaves SIGINT and SIGTERM to nntop.
  public init() throws(TerminalError) {
    setlocale(LC_ALL, "")
    if nntop_codeset_is_utf8() == 0 { setlocale(LC_ALL, "C.UTF-8") }
    unicode = nntop_codeset_is_utf8() != 0
    nntop_guard_save_terminal()
    setenv("ESCDELAY", "25", 0)
    // curses handles SIGWINCH only if its disposition is the default; a
    // parent that ignores it (test runners, nohup) would be inherited.
    signal(SIGWINCH, SIG_DFL)
    guard nntop_newterm() != nil else {
      let term = ProcessInfo.processInfo.environment["TERM"] ?? "(unset)"
      throw TerminalError(message: "cannot start the dashboard on this terminal (TERM=\(term)); use --headless")
    }
    guard nntop_can_address_cursor() != 0 else {
      endwin()
      let term = ProcessInfo.processInfo.environment["TERM"] ?? "(unset)"
      throw TerminalError(message: "TERM=\(term) cannot place the cursor, which the dashboard needs; use --headless, or a TERM such as xterm-256color")
    }
    nntop_guard_install()
    nntop_guard_note_screen()
    cbreak()
    noecho()
    nonl()
    intrflush(nntop_stdscr(), false)
    keypad(nntop_stdscr(), true)
    curs_set(0)
    if has_colors() {
      start_color()
      use_default_colors()
      colorCount = Int(nntop_colors())
    } else {
      colorCount = 0
    }
  }

  deinit { stop() }

  /// Ends curses and restores the terminal (idempotent).
  public func stop() {
    guard !stopped else { return }
    stopped = true
    nntop_guard_restore()
  }

  /// Ctrl-Z in the dashboard: the terminal goes back to the shell, the
  /// process stops; after `fg` the whole screen is drawn again.
  public func suspend() {
    endwin()
    nntop_guard_show_cursor()
    SuspendSignal.stopProcess()
    refresh()
    curs_set(0)
    wclear(nntop_stdscr())
    previous = nil
  }

  public var size: (width: Int, height: Int) {
    (Int(nntop_getmaxx(nntop_stdscr())), Int(nntop_getmaxy(nntop_stdscr())))
  }

  /// Waits up to `timeout` milliseconds for a key or a resize.
  public func nextEvent(timeout: Int32) -> TerminalEvent? {
    if let resized = checkSize() { return resized }
    wtimeout(nntop_stdscr(), timeout)
    var ch: wint_t = 0
    let result = wget_wch(nntop_stdscr(), &ch)
    if result == nntop_err() { return nil }
    let code = Int32(bitPattern: ch)
    if result == KEY_CODE_YES {
      if code == nntop_key_resize() {
        previous = nil
        let s = size
        return .resize(width: s.width, height: s.height)
      }
      return Self.functionKey(code).map(TerminalEvent.key)
    }
    return Self.characterKey(code).map(TerminalEvent.key)
  }

  /// The terminal's size from the kernel: if curses missed a SIGWINCH, it is told here.
  private func checkSize() -> TerminalEvent? {
    var ws = winsize()
    guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &ws) == 0, ws.ws_col > 0, ws.ws_row > 0 else { return nil }
    let current = size
    guard Int(ws.ws_col) != current.width || Int(ws.ws_row) != current.height else { return nil }
    resize_term(Int32(ws.ws_row), Int32(ws.ws_col))
    previous = nil
    return .resize(width: Int(ws.ws_col), height: Int(ws.ws_row))
  }

  static func functionKey(_ code: Int32) -> Key? {
    switch code {
    case nntop_key_up(): .up
    case nntop_key_down(): .down
    case nntop_key_left(): .left
    case nntop_key_right(): .right
    case nntop_key_home(): .home
    case nntop_key_end(): .end
    case nntop_key_btab(): .backTab
    case nntop_key_backspace(): .backspace
    case nntop_key_dc(): .delete
    case nntop_key_enter(): .enter
    default: nil
    }
  }

  static func characterKey(_ code: Int32) -> Key? {
    switch code {
    case 9: return .tab
    case 10, 13: return .enter
    case 27: return .escape
    case 8, 127: return .backspace
    default:
      guard code >= 32, let scalar = Unicode.Scalar(UInt32(code)) else { return nil }
      return .character(Character(scalar))
    }
  }

  /// Draws `buffer`: only the cells that differ from the last frame.
  public func draw(_ buffer: Buffer) {
    let changes = previous.map { buffer.diff(from: $0) } ?? buffer.diff(from: Buffer(width: 0, height: 0))
    for change in changes {
      var text: [wchar_t] = [wchar_t(bitPattern: change.cell.symbol.unicodeScalars.first?.value ?? 32), 0]
      let style = change.cell.style
      var attrs = nntop_a_normal()
      if style.bold { attrs |= nntop_a_bold() }
      if style.dim { attrs |= nntop_a_dim() }
      if style.reverse { attrs |= nntop_a_reverse() }
      if style.underline { attrs |= nntop_a_underline() }
      _ = nntop_put(Int32(change.y), Int32(change.x), &text, attrs, pair(for: style))
    }
    previous = buffer
    refresh()
  }

  /// The colour pair of a style's colours, made on first use (0 when out of pairs).
  private func pair(for style: Style) -> Int16 {
    guard colorCount > 0 else { return 0 }
    var style = style
    if colorCount < 256 {
      // Safety net: a colour the terminal lacks becomes its nearest system colour.
      style.fg = style.fg.reduced(to: colorCount)
      style.bg = style.bg.reduced(to: colorCount)
    }
    let key = style.colorPair
    if key == Style.ColorPair(fg: -1, bg: -1) { return 0 }
    if let p = pairs[key] { return p }
    let next = pairs.count + 1
    guard next < Int(nntop_color_pairs()), next < Int(Int16.max) else { return 0 }
    init_pair(Int16(next), Int16(key.fg), Int16(key.bg))
    pairs[key] = Int16(next)
    return Int16(next)
  }
}

extension Style {
  /// ncurses colour numbers (-1 = the terminal's default).
  struct ColorPair: Hashable {
    var fg: Int
    var bg: Int
  }

  var colorPair: ColorPair {
    func number(_ c: Color) -> Int {
      if case .indexed(let i) = c { return Int(i) }
      return -1
    }
    return ColorPair(fg: number(fg), bg: number(bg))
  }
}

public struct TerminalError: Error, CustomStringConvertible {
  public let message: String
  public var description: String { message }
}
