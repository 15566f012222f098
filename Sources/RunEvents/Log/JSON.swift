import Foundation

/// A JSON value whose objects keep their key order, so run-log lines and
/// checkpoint headers read the way they were written.
public enum JSON: Sendable, Equatable {
  case null
  case bool(Bool)
  case number(Double)
  case string(String)
  case array([JSON])
  case object([(String, JSON)])

  public static func == (a: JSON, b: JSON) -> Bool {
    switch (a, b) {
    case (.null, .null): true
    case (.bool(let x), .bool(let y)): x == y
    case (.number(let x), .number(let y)): x == y
    case (.string(let x), .string(let y)): x == y
    case (.array(let x), .array(let y)): x == y
    case (.object(let x), .object(let y)): x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    default: false
    }
  }

  /// A number, or null when it is NaN or infinite (JSON has no such numbers).
  public static func finite(_ value: Double?) -> JSON {
    guard let value, value.isFinite else { return .null }
    return .number(value)
  }

  /// A Float as the shortest decimal that reads back as it (0.1, not 0.10000000149011612).
  public static func finite(_ value: Float?) -> JSON { finite(value.flatMap { Double("\($0)") }) }

  public static func int(_ value: Int) -> JSON { .number(Double(value)) }

  /// A float to 4 significant digits (weights and points: what a heatmap
  /// can show), rounded arithmetically — formatting and re-parsing text per
  /// value cost a microsecond each. Dividing (or multiplying) an integer by
  /// an exact power of ten gives the double nearest the 4-digit decimal, which
  /// serialises as that decimal.
  public static func compact(_ v: Float) -> JSON {
    guard v.isFinite else { return .null }
    guard v != 0 else { return .number(0) }
    let d = Double(v)
    let exponent = Int(Foundation.log10(Swift.abs(d)).rounded(.down))
    if exponent <= 3 {
      let scale = powerOfTen(3 - exponent)
      return .number((d * scale).rounded() / scale)
    }
    let scale = powerOfTen(exponent - 3)
    return .number((d / scale).rounded() * scale)
  }

  private static let powersOfTen: [Double] = (0...22).map { Foundation.pow(10, Double($0)) }

  /// 10^n, exact for n ≤ 22 (floats need at most 10^48).
  private static func powerOfTen(_ n: Int) -> Double {
    n <= 22 ? powersOfTen[n] : Foundation.pow(10, Double(n))
  }

  // MARK: - Reading values

  public subscript(key: String) -> JSON? {
    guard case .object(let pairs) = self else { return nil }
    return pairs.first { $0.0 == key }?.1
  }

  public var doubleValue: Double? {
    if case .number(let v) = self { return v }
    return nil
  }

  public var intValue: Int? {
    guard case .number(let v) = self, v == v.rounded(), abs(v) < 9e15 else { return nil }
    return Int(v)
  }

  public var stringValue: String? {
    if case .string(let s) = self { return s }
    return nil
  }

  public var boolValue: Bool? {
    if case .bool(let b) = self { return b }
    return nil
  }

  public var arrayValue: [JSON]? {
    if case .array(let a) = self { return a }
    return nil
  }

  public var objectValue: [(String, JSON)]? {
    if case .object(let o) = self { return o }
    return nil
  }

  // MARK: - Writing

  /// Compact serialisation on one line.
  public var serialized: String {
    var out = ""
    write(to: &out)
    return out
  }

  private func write(to out: inout String) {
    switch self {
    case .null: out += "null"
    case .bool(let b): out += b ? "true" : "false"
    case .number(let v):
      if !v.isFinite {
        out += "null"
      } else if v == v.rounded() && abs(v) < 1e15 {
        out += String(Int64(v))
      } else {
        out += "\(v)"
      }
    case .string(let s): JSON.writeString(s, to: &out)
    case .array(let items):
      out += "["
      for (i, item) in items.enumerated() {
        if i > 0 { out += "," }
        item.write(to: &out)
      }
      out += "]"
    case .object(let pairs):
      out += "{"
      for (i, (key, value)) in pairs.enumerated() {
        if i > 0 { out += "," }
        JSON.writeString(key, to: &out)
        out += ":"
        value.write(to: &out)
      }
      out += "}"
    }
  }

  private static func writeString(_ s: String, to out: inout String) {
    out += "\""
    for scalar in s.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default:
        if scalar.value < 0x20 {
          let hex = String(scalar.value, radix: 16)
          out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    out += "\""
  }
}

/// Why a JSON text could not be read, with the byte offset.
public struct JSONError: Error, CustomStringConvertible {
  public let offset: Int
  public let message: String
  public var description: String { "\(message) at byte \(offset)" }
}

extension JSON {
  /// Parses one JSON value (RFC 8259); trailing text other than white space is an error.
  public init(parsing text: String) throws(JSONError) {
    var parser = JSONParser(bytes: Array(text.utf8))
    self = try parser.parseDocument()
  }

  public init(parsing bytes: [UInt8]) throws(JSONError) {
    var parser = JSONParser(bytes: bytes)
    self = try parser.parseDocument()
  }
}

private struct JSONParser {
  let bytes: [UInt8]
  var pos = 0
  var depth = 0

  mutating func parseDocument() throws(JSONError) -> JSON {
    let value = try parseValue()
    skipSpace()
    guard pos == bytes.count else { throw JSONError(offset: pos, message: "unexpected text after the value") }
    return value
  }

  mutating func skipSpace() {
    while pos < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[pos]) { pos += 1 }
  }

  mutating func expect(_ literal: String, _ value: JSON) throws(JSONError) -> JSON {
    let lit = Array(literal.utf8)
    guard pos + lit.count <= bytes.count, Array(bytes[pos..<(pos + lit.count)]) == lit else {
      throw JSONError(offset: pos, message: "invalid literal")
    }
    pos += lit.count
    return value
  }

  mutating func parseValue() throws(JSONError) -> JSON {
    skipSpace()
    guard pos < bytes.count else { throw JSONError(offset: pos, message: "unexpected end of text") }
    switch bytes[pos] {
    case UInt8(ascii: "{"): return try parseObject()
    case UInt8(ascii: "["): return try parseArray()
    case UInt8(ascii: "\""): return .string(try parseString())
    case UInt8(ascii: "t"): return try expect("true", .bool(true))
    case UInt8(ascii: "f"): return try expect("false", .bool(false))
    case UInt8(ascii: "n"): return try expect("null", .null)
    default: return try parseNumber()
    }
  }

  mutating func parseObject() throws(JSONError) -> JSON {
    depth += 1
    guard depth < 512 else { throw JSONError(offset: pos, message: "nesting too deep") }
    defer { depth -= 1 }
    pos += 1
    var pairs: [(String, JSON)] = []
    skipSpace()
    if pos < bytes.count && bytes[pos] == UInt8(ascii: "}") {
      pos += 1
      return .object(pairs)
    }
    while true {
      skipSpace()
      guard pos < bytes.count, bytes[pos] == UInt8(ascii: "\"") else { throw JSONError(offset: pos, message: "expected a key") }
      let key = try parseString()
      skipSpace()
      guard pos < bytes.count, bytes[pos] == UInt8(ascii: ":") else { throw JSONError(offset: pos, message: "expected ':'") }
      pos += 1
      pairs.append((key, try parseValue()))
      skipSpace()
      guard pos < bytes.count else { throw JSONError(offset: pos, message: "unterminated object") }
      if bytes[pos] == UInt8(ascii: ",") {
        pos += 1
        continue
      }
      guard bytes[pos] == UInt8(ascii: "}") else { throw JSONError(offset: pos, message: "expected ',' or '}'") }
      pos += 1
      return .object(pairs)
    }
  }

  mutating func parseArray() throws(JSONError) -> JSON {
    depth += 1
    guard depth < 512 else { throw JSONError(offset: pos, message: "nesting too deep") }
    defer { depth -= 1 }
    pos += 1
    var items: [JSON] = []
    skipSpace()
    if pos < bytes.count && bytes[pos] == UInt8(ascii: "]") {
      pos += 1
      return .array(items)
    }
    while true {
      items.append(try parseValue())
      skipSpace()
      guard pos < bytes.count else { throw JSONError(offset: pos, message: "unterminated array") }
      if bytes[pos] == UInt8(ascii: ",") {
        pos += 1
        continue
      }
      guard bytes[pos] == UInt8(ascii: "]") else { throw JSONError(offset: pos, message: "expected ',' or ']'") }
      pos += 1
      return .array(items)
    }
  }

  mutating func parseString() throws(JSONError) -> String {
    pos += 1
    var scalars = String.UnicodeScalarView()
    var run = pos
    func flush(_ end: Int, into s: inout String.UnicodeScalarView) {
      s.append(contentsOf: String(decoding: bytes[run..<end], as: UTF8.self).unicodeScalars)
    }
    while pos < bytes.count {
      let b = bytes[pos]
      if b == UInt8(ascii: "\"") {
        flush(pos, into: &scalars)
        pos += 1
        return String(scalars)
      }
      if b < 0x20 { throw JSONError(offset: pos, message: "control character in string") }
      if b == UInt8(ascii: "\\") {
        flush(pos, into: &scalars)
        pos += 1
        guard pos < bytes.count else { break }
        let e = bytes[pos]
        pos += 1
        switch e {
        case UInt8(ascii: "\""): scalars.append("\"")
        case UInt8(ascii: "\\"): scalars.append("\\")
        case UInt8(ascii: "/"): scalars.append("/")
        case UInt8(ascii: "b"): scalars.append("\u{08}")
        case UInt8(ascii: "f"): scalars.append("\u{0C}")
        case UInt8(ascii: "n"): scalars.append("\n")
        case UInt8(ascii: "r"): scalars.append("\r")
        case UInt8(ascii: "t"): scalars.append("\t")
        case UInt8(ascii: "u"):
          var code = try hex4()
          if (0xD800..<0xDC00).contains(code), pos + 1 < bytes.count, bytes[pos] == UInt8(ascii: "\\"), bytes[pos + 1] == UInt8(ascii: "u") {
            pos += 2
            let low = try hex4()
            if (0xDC00..<0xE000).contains(low) {
              code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
            } else {
              // A lone high surrogate: replaced; the next escape stands for itself.
              scalars.append("\u{FFFD}")
              code = low
            }
          }
          scalars.append(Unicode.Scalar(code) ?? "\u{FFFD}")
        default: throw JSONError(offset: pos - 1, message: "bad escape")
        }
        run = pos
        continue
      }
      pos += 1
    }
    throw JSONError(offset: pos, message: "unterminated string")
  }

  mutating func hex4() throws(JSONError) -> UInt32 {
    guard pos + 4 <= bytes.count, let v = UInt32(String(decoding: bytes[pos..<(pos + 4)], as: UTF8.self), radix: 16) else {
      throw JSONError(offset: pos, message: "bad \\u escape")
    }
    pos += 4
    return v
  }

  mutating func parseNumber() throws(JSONError) -> JSON {
    let start = pos
    while pos < bytes.count, "+-0123456789.eE".utf8.contains(bytes[pos]) { pos += 1 }
    guard pos > start, let v = Double(String(decoding: bytes[start..<pos], as: UTF8.self)) else {
      throw JSONError(offset: start, message: "invalid value")
    }
    return .number(v)
  }
}

extension Double {
  /// Rounded to `places` decimal places (for compact logs).
  public func rounded(toPlaces places: Int) -> Double {
    let scale = Foundation.pow(10, Double(places))
    return (self * scale).rounded() / scale
  }
}
