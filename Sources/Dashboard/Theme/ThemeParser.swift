import Foundation

/// A theme file that cannot be used, with the file and line named.
public struct ThemeError: Error, CustomStringConvertible, Equatable {
  public let file: String
  public let line: Int?
  public let message: String
  /// The file is missing or unreadable (EX_NOINPUT), not malformed.
  public let unreadable: Bool
  public var description: String { "\(file)\(line.map { ":\($0)" } ?? ""): \(message)" }

  public init(file: String, line: Int?, message: String, unreadable: Bool = false) {
    self.file = file
    self.line = line
    self.message = message
    self.unreadable = unreadable
  }
}

extension Theme {
  /// Parses a theme from TOML text; `file` names it in errors. A theme
  /// inherits every colour it does not set from `base` (the default theme's
  /// text, for every theme but the default itself): a user theme may set
  /// one colour. Without a base every key is required except `description`
  /// and `monochrome`. Unknown keys are errors (a typo should not pass
  /// silently); problems are named in the file's order, the same each time.
  public static func parse(toml text: String, file: String, inheriting base: String? = nil) throws(ThemeError) -> Theme {
    let own = try table(text, file: file)
    let inherited = try base.map { text throws(ThemeError) in try table(text, file: "the default theme") }
    // A theme that inherits may leave out its name too: the file's is taken.
    let fallbackName = base == nil ? nil : URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
    let reader = ThemeReader(own: own, table: inherited.map { own.merged(over: $0) } ?? own, text: text, file: file, fallbackName: fallbackName)
    return try reader.theme()
  }

  private static func table(_ text: String, file: String) throws(ThemeError) -> ThemeTOML.Table {
    do {
      return try ThemeTOML.parse(text)
    } catch {
      throw ThemeError(file: file, line: error.line, message: "not valid TOML: \(error.message)")
    }
  }
}

/// Reads the sections of a parsed theme file, finding lines for errors.
private struct ThemeReader {
  /// The file's own keys (checked for unknown ones), and them over the base (read).
  let own: ThemeTOML.Table
  let table: ThemeTOML.Table
  let text: String
  let file: String
  let fallbackName: String?

  /// The sections and their keys, in the order problems are named.
  static let sections: [(name: String, keys: [String])] = [
    ("base", ["background", "text", "dim", "border", "title", "accent"]),
    ("chart", ["train", "validation", "axis", "marks"]),
    ("health", ["ok", "warn", "bad"]),
    ("state", ["running", "paused", "finished", "diverged"]),
    ("heatmap", ["negative", "zero", "positive", "steps"]),
    ("classes", ["colors"]),
  ]

  func theme() throws(ThemeError) -> Theme {
    for key in own.keys where !["name", "description", "monochrome"].contains(key) && !Self.sections.contains(where: { $0.name == key }) {
      throw error("unknown key \"\(key)\"", key: key, section: nil)
    }
    guard let name = own["name"]?.string ?? fallbackName, !name.isEmpty else {
      throw error("needs a name = \"...\"", key: "name", section: nil)
    }
    for key in own.keys {
      guard let keys = Self.sections.first(where: { $0.name == key })?.keys else { continue }
      guard let t = own[key]?.table else { throw error("\(key) must be a [\(key)] section", key: key, section: nil) }
      for k in t.keys where !keys.contains(k) {
        throw error("unknown key \"\(k)\" in [\(key)]", key: k, section: key)
      }
    }
    for (section, _) in Self.sections where table[section]?.table == nil {
      throw error("needs a [\(section)] section", key: nil, section: nil)
    }
    let steps = try integer("heatmap", "steps", in: 1...16)
    let classList = table["classes"]?.table?["colors"]?.array
    guard let classList, !classList.isEmpty else {
      throw error("[classes] colors must be a non-empty list of colours", key: "colors", section: "classes")
    }
    var classes: [Color] = []
    for value in classList { classes.append(try parseColor(value, key: "colors", section: "classes")) }
    let monochrome = table["monochrome"]?.bool ?? false
    let negative = try color("heatmap", "negative"), zero = try color("heatmap", "zero"), positive = try color("heatmap", "positive")
    return Theme(
      name: name, description: own["description"]?.string ?? "", monochrome: monochrome,
      background: try color("base", "background"), text: try color("base", "text"), dim: try color("base", "dim"),
      border: try color("base", "border"), title: try color("base", "title"), accent: try color("base", "accent"),
      train: try color("chart", "train"), validation: try color("chart", "validation"), axis: try color("chart", "axis"),
      marks: try color("chart", "marks"), ok: try color("health", "ok"), warn: try color("health", "warn"),
      bad: try color("health", "bad"), running: try color("state", "running"), paused: try color("state", "paused"),
      finished: try color("state", "finished"), diverged: try color("state", "diverged"),
      heatmap: Theme.ramp(negative: negative, zero: zero, positive: positive, steps: steps), classes: classes,
      heatmapShading: monochrome)
  }

  func color(_ section: String, _ key: String) throws(ThemeError) -> Color {
    guard let value = table[section]?.table?[key] else {
      throw error("[\(section)] needs \(key) = <colour>", key: nil, section: section)
    }
    return try parseColor(value, key: key, section: section)
  }

  func integer(_ section: String, _ key: String, in range: ClosedRange<Int>) throws(ThemeError) -> Int {
    guard let v = table[section]?.table?[key]?.int, range.contains(v) else {
      throw error("[\(section)] \(key) must be a whole number from \(range.lowerBound) to \(range.upperBound)", key: key, section: section)
    }
    return v
  }

  static let names: [String: Color] = [
    "default": .default, "black": .indexed(0), "red": .indexed(1), "green": .indexed(2), "yellow": .indexed(3),
    "blue": .indexed(4), "magenta": .indexed(5), "cyan": .indexed(6), "white": .indexed(7), "grey": .indexed(8),
    "gray": .indexed(8), "bright-red": .indexed(9), "bright-green": .indexed(10), "bright-yellow": .indexed(11),
    "bright-blue": .indexed(12), "bright-magenta": .indexed(13), "bright-cyan": .indexed(14), "bright-white": .indexed(15),
  ]

  func parseColor(_ value: ThemeTOML.Value, key: String, section: String) throws(ThemeError) -> Color {
    if let i = value.int {
      guard (0...255).contains(i) else { throw error("\(key) = \(i): a colour index must be 0-255", key: key, section: section) }
      return .indexed(UInt8(i))
    }
    guard let s = value.string else {
      throw error("\(key) must be a colour: 0-255, \"#rrggbb\" or a name", key: key, section: section)
    }
    if let named = Self.names[s.lowercased()] { return named }
    if s.hasPrefix("#"), s.count == 7, let rgb = Int(s.dropFirst(), radix: 16) {
      return Color.nearest(r: (rgb >> 16) & 0xFF, g: (rgb >> 8) & 0xFF, b: rgb & 0xFF)
    }
    throw error("\(key) = \"\(s)\" is not a colour (0-255, \"#rrggbb\" or a name like \"blue\")", key: key, section: section)
  }

  /// A theme error at the line where `key` is set (inside `[section]`), if it can be found.
  func error(_ message: String, key: String?, section: String?) -> ThemeError {
    ThemeError(file: file, line: line(of: key, in: section), message: message)
  }

  func line(of key: String?, in section: String?) -> Int? {
    var current: String? = nil
    var sectionLine: Int?
    for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let line = raw.trimmingCharacters(in: .whitespaces)
      if line.hasPrefix("[") {
        current = String(line.dropFirst().prefix { $0 != "]" }).trimmingCharacters(in: .whitespaces)
        if current == section { sectionLine = i + 1 }
        continue
      }
      guard current == section, let key else { continue }
      let name = line.prefix { $0 != "=" }.trimmingCharacters(in: .whitespaces)
      if name == key { return i + 1 }
    }
    return sectionLine
  }
}
