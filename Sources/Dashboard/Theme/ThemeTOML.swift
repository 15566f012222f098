import Foundation

/// The part of TOML a theme file uses, read by nntop itself: comments,
/// `[section]` headers, and `key = value` lines whose value is a string
/// ("basic" or 'literal'), an integer, a float, a boolean or a one-line
/// array of those. Anything else is an error naming its line — never an
/// abort (the C++ parser it replaces asserted on malformed input).
enum ThemeTOML {
  indirect enum Value: Equatable {
    case string(String)
    case integer(Int)
    case float(Double)
    case bool(Bool)
    case array([Value])
    case table(Table)

    var string: String? { if case .string(let s) = self { s } else { nil } }
    var int: Int? { if case .integer(let i) = self { i } else { nil } }
    var bool: Bool? { if case .bool(let b) = self { b } else { nil } }
    var array: [Value]? { if case .array(let a) = self { a } else { nil } }
    var table: Table? { if case .table(let t) = self { t } else { nil } }
  }

  /// Keys in file order, each once.
  struct Table: Equatable {
    private(set) var entries: [(key: String, value: Value)] = []
    var keys: [String] { entries.map(\.key) }
    subscript(key: String) -> Value? { entries.first { $0.key == key }?.value }

    static func == (a: Table, b: Table) -> Bool { a.keys == b.keys && zip(a.entries, b.entries).allSatisfy { $0.value == $1.value } }

    /// Adds `key`; false if it is already there.
    mutating func insert(_ key: String, _ value: Value) -> Bool {
      guard self[key] == nil else { return false }
      entries.append((key, value))
      return true
    }

    /// This table over `base`: every key of both, this one's values winning;
    /// a section both have is merged key by key.
    func merged(over base: Table) -> Table {
      var result = base
      for (key, value) in entries {
        let combined: Value
        if case .table(let mine) = value, case .table(let theirs)? = base[key] { combined = .table(mine.merged(over: theirs)) } else { combined = value }
        if let i = result.entries.firstIndex(where: { $0.key == key }) { result.entries[i].value = combined } else { result.entries.append((key, combined)) }
      }
      return result
    }

    mutating func update(_ key: String, _ body: (inout Table) -> Void) {
      guard let i = entries.firstIndex(where: { $0.key == key }), case .table(var t) = entries[i].value else { return }
      body(&t)
      entries[i].value = .table(t)
    }
  }

  struct ParseError: Error {
    var line: Int
    var message: String
  }

  /// Parses `text` into its top-level table (sections are tables in it).
  static func parse(_ text: String) throws(ParseError) -> Table {
    var root = Table()
    var section: String?
    for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let number = index + 1
      var cursor = Cursor(Array(raw.unicodeScalars), line: number)
      cursor.skipSpace()
      if cursor.atEndOfLine { continue }
      if cursor.peek == "[" {
        cursor.advance()
        if cursor.peek == "[" { throw ParseError(line: number, message: "arrays of tables ([[…]]) are not part of a theme") }
        cursor.skipSpace()
        let name = try cursor.key()
        cursor.skipSpace()
        try cursor.expect("]")
        try cursor.endOfLine()
        guard root.insert(name, .table(Table())) else { throw ParseError(line: number, message: "[\(name)] appears twice") }
        section = name
        continue
      }
      let key = try cursor.key()
      cursor.skipSpace()
      try cursor.expect("=")
      cursor.skipSpace()
      let value = try cursor.value()
      try cursor.endOfLine()
      var inserted = true
      if let section {
        root.update(section) { inserted = $0.insert(key, value) }
      } else {
        inserted = root.insert(key, value)
      }
      guard inserted else { throw ParseError(line: number, message: "\(key) is set twice") }
    }
    return root
  }

  /// Reads one line's characters.
  struct Cursor {
    let scalars: [Unicode.Scalar]
    let line: Int
    var position = 0

    init(_ scalars: [Unicode.Scalar], line: Int) {
      self.scalars = scalars
      self.line = line
    }

    var peek: Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }
    mutating func advance() { position += 1 }
    var atEndOfLine: Bool { peek == nil || peek == "#" || peek == "\r" }

    func fail(_ message: String) -> ParseError { ParseError(line: line, message: message) }

    mutating func skipSpace() {
      while let c = peek, c == " " || c == "\t" { advance() }
    }

    mutating func expect(_ c: Unicode.Scalar) throws(ParseError) {
      guard peek == c else { throw fail("expected \"\(c)\"\(peek.map { ", found \"\($0)\"" } ?? " before the end of the line")") }
      advance()
    }

    /// Only spaces and a comment may follow.
    mutating func endOfLine() throws(ParseError) {
      skipSpace()
      guard atEndOfLine else { throw fail("unexpected \"\(peek!)\" after the value") }
    }

    /// A bare key (letters, digits, - and _) or a quoted one.
    mutating func key() throws(ParseError) -> String {
      if peek == "\"" || peek == "'" { return try quoted() }
      var key = ""
      while let c = peek, ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c) || c == "-" || c == "_" {
        key.unicodeScalars.append(c)
        advance()
      }
      guard !key.isEmpty else { throw fail(peek.map { "\"\($0)\" cannot start a key (letters, digits, - and _)" } ?? "a key is missing") }
      if peek == "." { throw fail("dotted keys are not part of a theme: use a [section]") }
      return key
    }

    mutating func value() throws(ParseError) -> Value {
      guard let c = peek, !atEndOfLine else { throw fail("a value is missing after =") }
      switch c {
      case "\"", "'": return .string(try quoted())
      case "[": return try array()
      case "{": throw fail("inline tables are not part of a theme")
      default: return try scalar()
      }
    }

    /// `"basic"` (with \" \\ \n \t \uXXXX escapes) or `'literal'`.
    mutating func quoted() throws(ParseError) -> String {
      let quote = peek!
      advance()
      if peek == quote, position + 1 < scalars.count, scalars[position + 1] == quote {
        throw fail("multi-line strings are not part of a theme")
      }
      var out = ""
      while let c = peek {
        advance()
        if c == quote { return out }
        guard quote == "\"", c == "\\" else {
          out.unicodeScalars.append(c)
          continue
        }
        guard let e = peek else { break }
        advance()
        switch e {
        case "\"": out += "\""
        case "\\": out += "\\"
        case "n": out += "\n"
        case "t": out += "\t"
        case "r": out += "\r"
        case "u", "U":
          let digits = e == "u" ? 4 : 8
          guard position + digits <= scalars.count,
            let code = UInt32(String(String.UnicodeScalarView(scalars[position..<position + digits])), radix: 16),
            let scalar = Unicode.Scalar(code)
          else { throw fail("\\\(e) needs \(digits) hex digits of a Unicode scalar") }
          out.unicodeScalars.append(scalar)
          position += digits
        default: throw fail("unknown escape \\\(e)")
        }
      }
      throw fail("a string is not closed on its line")
    }

    /// `[v, v, …]` on one line, values of any kind but tables.
    mutating func array() throws(ParseError) -> Value {
      advance()
      var items: [Value] = []
      while true {
        skipSpace()
        if peek == "]" {
          advance()
          return .array(items)
        }
        guard !atEndOfLine else { throw fail("an array must close on its line") }
        items.append(try value())
        skipSpace()
        if peek == "," {
          advance()
        } else if peek != "]" {
          throw fail(peek.map { "expected \",\" or \"]\" in the array, found \"\($0)\"" } ?? "an array must close on its line")
        }
      }
    }

    /// true, false, an integer or a float.
    mutating func scalar() throws(ParseError) -> Value {
      var word = ""
      while let c = peek, !(c == " " || c == "\t" || c == "," || c == "]" || c == "#" || c == "\r") {
        word.unicodeScalars.append(c)
        advance()
      }
      if word == "true" { return .bool(true) }
      if word == "false" { return .bool(false) }
      let digits = word.replacingOccurrences(of: "_", with: "")
      if let i = Int(digits) { return .integer(i) }
      if let d = Double(digits), d.isFinite, digits.contains(where: { $0.isNumber }) { return .float(d) }
      throw fail("\"\(word)\" is not a value (a \"string\", a number, true or false)")
    }
  }
}
