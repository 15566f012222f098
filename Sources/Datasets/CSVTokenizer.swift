import Foundation

/// Splits CSV text into records as people really write it: a header row,
/// quoted fields with `""` escapes and embedded newlines, CRLF or LF line
/// ends, a UTF-8 byte-order mark, blank lines, spaces around fields. The
/// delimiter (comma, semicolon or tab) is taken from the header line; a
/// file split by semicolons or tabs may write its decimals with a comma
/// (`3,14`), as European spreadsheets do.
///
/// It streams: `nextRecord` reuses one array of field locations, and values
/// are read from the bytes only when asked, so a large file is never held as
/// millions of strings.
struct CSVTokenizer {
  /// Where one field is in the text.
  struct Field {
    var start: Int  // first byte of the value (after an opening quote)
    var end: Int  // one past the last byte of the value
    var quoted: Bool
    var hasEscapedQuotes: Bool
    var line: Int  // line the field starts on (1-based)
    var lineStart: Int  // byte offset of that line
  }

  let bytes: UnsafeBufferPointer<UInt8>
  let file: String
  private(set) var delimiter: UInt8 = UInt8(ascii: ",")
  /// Numbers are written `3,14` (see `readDecimals`; only when the delimiter is not a comma).
  private(set) var decimalComma = false
  /// Where the header line ends: the numbers after it tell the decimal mark.
  private var headerEnd = 0
  private var pos = 0
  private var line = 1
  private var lineStart = 0
  /// The line the last record returned started on.
  private(set) var recordLine = 0

  /// The text, its delimiter found; numbers are read with a point until `readDecimals` says otherwise.
  init(bytes: UnsafeBufferPointer<UInt8>, file: String) {
    self.bytes = bytes
    self.file = file
    if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { pos = 3 }
    lineStart = pos
    let (headerStart, headerEnd) = headerLine()
    self.headerEnd = headerEnd
    delimiter = detectDelimiter(headerStart, headerEnd)
  }

  /// How the numbers write their decimals: as `decimal` says, or under
  /// `.auto` as the file's first decimal number does (see `detectDecimalComma`).
  mutating func readDecimals(_ decimal: ColumnSelection.DecimalMark) throws(DataError) {
    switch decimal {
    case .point: decimalComma = false
    case .comma:
      guard delimiter != UInt8(ascii: ",") else {
        throw DataError(.usage, file: file, "--decimal comma needs a file split by semicolons or tabs; this one is split by commas")
      }
      decimalComma = true
    case .auto: decimalComma = delimiter == UInt8(ascii: ",") ? false : try detectDecimalComma(after: headerEnd)
    }
  }

  private func isLineEnd(_ b: UInt8) -> Bool { b == 0x0A || b == 0x0D }

  /// Where the header line is: the first line that is not blank, up to its
  /// end outside quotes (LF, CRLF or CR).
  private func headerLine() -> (start: Int, end: Int) {
    var start = pos
    var i = pos
    while i < bytes.count && (bytes[i] == UInt8(ascii: " ") || bytes[i] == UInt8(ascii: "\t") || isLineEnd(bytes[i])) {
      if isLineEnd(bytes[i]) { start = i + 1 }
      i += 1
    }
    var inQuotes = false
    i = start
    while i < bytes.count && (inQuotes || !isLineEnd(bytes[i])) {
      if bytes[i] == UInt8(ascii: "\"") { inQuotes.toggle() }
      i += 1
    }
    return (start, i)
  }

  /// The delimiter that splits the header line into the most fields outside
  /// quotes; a tie goes to the comma, then the semicolon.
  private func detectDelimiter(_ start: Int, _ end: Int) -> UInt8 {
    let candidates: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t")]
    var counts = [0, 0, 0]
    var inQuotes = false
    for i in start..<end {
      if bytes[i] == UInt8(ascii: "\"") { inQuotes.toggle() }
      if !inQuotes, let k = candidates.firstIndex(of: bytes[i]) { counts[k] += 1 }
    }
    let best = counts.indices.max { counts[$0] < counts[$1] || (counts[$0] == counts[$1] && $0 > $1) }!
    return counts[best] > 0 ? candidates[best] : UInt8(ascii: ",")
  }

  /// Whether the file writes decimals with a comma: the first field after
  /// the header that is a number with a decimal mark decides (`3,14`: a
  /// comma; `3.14`: a point). A comma in a name (`x 1,2`) is no number.
  /// `1,234` alone could be 1.234 or a thousands separator: if nothing else
  /// decides, the file is refused rather than misread.
  private func detectDecimalComma(after headerEnd: Int) throws(DataError) -> Bool {
    var ambiguous: (text: String, line: Int)?
    var line = 1 + bytes[..<headerEnd].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
    var fieldStart = headerEnd, inQuotes = false
    var i = headerEnd
    while i <= bytes.count {
      let atEnd = i == bytes.count || (!inQuotes && (bytes[i] == delimiter || isLineEnd(bytes[i])))
      if i < bytes.count && bytes[i] == UInt8(ascii: "\"") { inQuotes.toggle() }
      if atEnd {
        var a = fieldStart, b = i
        while a < b && (isPadding(bytes[a]) || bytes[a] == UInt8(ascii: "\"")) { a += 1 }
        while b > a && (isPadding(bytes[b - 1]) || bytes[b - 1] == UInt8(ascii: "\"")) { b -= 1 }
        let field = UnsafeBufferPointer(rebasing: bytes[a..<b])
        if field.contains(UInt8(ascii: ",")), NumberParser.parse(field, decimalComma: true) != nil {
          let text = String(decoding: field, as: UTF8.self)
          guard Self.couldGroupThousands(text) else { return true }
          if ambiguous == nil { ambiguous = (text, line) }
        } else if field.contains(UInt8(ascii: ".")), NumberParser.parse(field) != nil {
          return false
        }
        fieldStart = i + 1
      }
      if i < bytes.count && bytes[i] == 0x0A { line += 1 }
      i += 1
    }
    if let ambiguous {
      throw DataError(
        .malformed, file: file, line: ambiguous.line,
        "\"\(ambiguous.text)\" could be \(ambiguous.text.replacingOccurrences(of: ",", with: ".")) or \(ambiguous.text.replacingOccurrences(of: ",", with: "")), and no other number in the file says which: --decimal comma reads it as the first (nntop reads no thousands separators)")
    }
    return false
  }

  /// `1,234` or `-12,500`: one comma, one to three digits before it (not
  /// starting with 0: `0,565` groups nothing) and three after.
  private static func couldGroupThousands(_ text: String) -> Bool {
    text.range(of: #"^[+-]?[1-9][0-9]{0,2},[0-9]{3}$"#, options: .regularExpression) != nil
  }

  /// Reads the next non-blank record into `fields`; false at the end of the text.
  mutating func nextRecord(into fields: inout [Field]) throws(DataError) -> Bool {
    while pos < bytes.count {
      fields.removeAll(keepingCapacity: true)
      recordLine = line
      try readRecord(into: &fields)
      let blank = fields.count == 1 && !fields[0].quoted && fields[0].start == fields[0].end
      if !blank { return true }
    }
    return false
  }

  private mutating func readRecord(into fields: inout [Field]) throws(DataError) {
    while true {
      // Skip leading spaces and tabs (unless tab is the delimiter).
      while pos < bytes.count && isPadding(bytes[pos]) { pos += 1 }
      var field = Field(start: pos, end: pos, quoted: false, hasEscapedQuotes: false, line: line, lineStart: lineStart)
      if pos < bytes.count && bytes[pos] == UInt8(ascii: "\"") {
        let openLine = line, openColumn = column(of: pos, lineStart: lineStart)
        field.quoted = true
        pos += 1
        field.start = pos
        while true {
          guard pos < bytes.count else {
            throw DataError(.malformed, file: file, line: openLine, column: openColumn, "quoted field is never closed")
          }
          let b = bytes[pos]
          if b == UInt8(ascii: "\"") {
            if pos + 1 < bytes.count && bytes[pos + 1] == UInt8(ascii: "\"") {
              field.hasEscapedQuotes = true
              pos += 2
              continue
            }
            field.end = pos
            pos += 1
            break
          }
          if b == 0x0A || (b == 0x0D && !(pos + 1 < bytes.count && bytes[pos + 1] == 0x0A)) {
            line += 1
            lineStart = pos + 1
          }
          pos += 1
        }
        while pos < bytes.count && isPadding(bytes[pos]) { pos += 1 }
        if pos < bytes.count && bytes[pos] != delimiter && bytes[pos] != 0x0A && bytes[pos] != 0x0D {
          throw DataError(.malformed, file: file, line: line, column: column(of: pos, lineStart: lineStart), "unexpected text after a closing quote")
        }
      } else {
        while pos < bytes.count && bytes[pos] != delimiter && bytes[pos] != 0x0A && bytes[pos] != 0x0D { pos += 1 }
        var end = pos
        while end > field.start && isPadding(bytes[end - 1]) { end -= 1 }
        field.end = end
      }
      fields.append(field)
      if pos < bytes.count && bytes[pos] == delimiter {
        pos += 1
        continue
      }
      // End of record: consume LF, CRLF or CR.
      if pos < bytes.count && bytes[pos] == 0x0D { pos += 1 }
      if pos < bytes.count && bytes[pos] == 0x0A { pos += 1 }
      line += 1
      lineStart = pos
      return
    }
  }

  @inline(__always)
  private func isPadding(_ b: UInt8) -> Bool {
    b == UInt8(ascii: " ") || (b == UInt8(ascii: "\t") && delimiter != UInt8(ascii: "\t"))
  }

  /// The 1-based character column of byte `offset` on a line starting at `lineStart`.
  func column(of offset: Int, lineStart: Int) -> Int {
    var n = 1
    var i = lineStart
    while i < offset {
      if bytes[i] & 0xC0 != 0x80 { n += 1 }
      i += 1
    }
    return n
  }

  func column(of field: Field) -> Int {
    column(of: field.quoted ? field.start - 1 : field.start, lineStart: field.lineStart)
  }

  /// The field's text, with `""` unescaped.
  func string(_ field: Field) -> String {
    let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[field.start..<field.end]), as: UTF8.self)
    return field.hasEscapedQuotes ? text.replacingOccurrences(of: "\"\"", with: "\"") : text
  }

  /// The field as a number finite in 32 bits (nntop trains in fp32); nil
  /// for anything else (then `isMissing` or `numberError` says what it is).
  func value(_ field: Field) -> Double? {
    let slice = UnsafeBufferPointer(rebasing: bytes[field.start..<field.end])
    guard let v = NumberParser.parse(slice, decimalComma: decimalComma), Float(v).isFinite else { return nil }
    return v
  }

  /// How pandas (and R) write a missing value, and UCI's `?`.
  static let missingMarks: Set<String> = [
    "", "NA", "N/A", "n/a", "NaN", "nan", "-NaN", "-nan", "NULL", "null", "None", "#N/A", "#N/A N/A", "#NA", "<NA>", "?",
    "1.#IND", "-1.#IND", "1.#QNAN", "-1.#QNAN",
  ]

  /// Whether the field holds no value: empty, or one of `missingMarks`.
  func isMissing(_ field: Field) -> Bool {
    field.end - field.start <= 8 && Self.missingMarks.contains(string(field).trimmingCharacters(in: .whitespaces))
  }

  /// Why the field is not a number, at its line and column.
  func numberError(_ field: Field, columnName: String) -> DataError {
    let text = string(field).trimmingCharacters(in: .whitespaces)
    let column = "in column \"\(columnName)\""
    let kind = NumberProblem(text, decimalComma: decimalComma, commaPossible: delimiter != UInt8(ascii: ","))
    let problem =
      switch kind {
      case .beyondFloat: "\(text) \(column) \(kind.phrase!)"
      case .nan: "NaN \(column)"
      case .infinite: "infinite value \"\(text)\" \(column)"
      case .decimalPoint, .decimalComma: "\"\(text)\" \(column) \(kind.phrase!)"
      case .notANumber: "\"\(text)\" \(column) is not a number"
      }
    return DataError(.malformed, file: file, line: field.line, column: self.column(of: field), problem)
  }
}

/// Why a cell's text is no number nntop reads, for the errors on feature
/// cells and on targets alike.
enum NumberProblem {
  case beyondFloat, nan, infinite, decimalPoint, decimalComma, notANumber

  /// `commaPossible`: the file could have written decimals with a comma (it is not split by commas).
  init(_ text: String, decimalComma: Bool, commaPossible: Bool) {
    let standard = decimalComma ? text.replacingOccurrences(of: ",", with: ".") : text
    if let v = Double(standard), v.isFinite, !Float(v).isFinite {
      self = .beyondFloat
    } else if let v = Double(standard), !v.isFinite {
      self = v.isNaN ? .nan : .infinite
    } else if decimalComma && text.contains("."), Double(text) != nil {
      self = .decimalPoint
    } else if !decimalComma && commaPossible, NumberParser.parse(string: text, decimalComma: true) != nil {
      self = .decimalComma
    } else {
      self = .notANumber
    }
  }

  /// What is wrong with the value, where it is more than "not a number".
  var phrase: String? {
    switch self {
    case .beyondFloat: "is beyond the 32-bit float range (±3.4e38)"
    case .decimalPoint: "has a decimal point, but this file writes decimals with a comma (3,14)"
    case .decimalComma: "has a decimal comma, but this file writes decimals with a point (3.14)"
    case .nan, .infinite, .notANumber: nil
    }
  }
}

/// Fast decimal parsing straight from bytes: exact (Clinger's fast path)
/// when the digits fit in 2⁵³ and the power of ten is small, otherwise
/// handed to the standard library. Returns nil for anything not a plain
/// finite decimal number. With `decimalComma`, `3,14` is the number and
/// `3.14` is not.
enum NumberParser {
  static let powersOfTen: [Double] = (0...22).map { p in (0..<p).reduce(1.0) { acc, _ in acc * 10 } }

  static func parse(_ s: UnsafeBufferPointer<UInt8>, decimalComma: Bool = false) -> Double? {
    let point = decimalComma ? UInt8(ascii: ",") : UInt8(ascii: ".")
    var i = 0
    let n = s.count
    guard n > 0 else { return nil }
    var negative = false
    if s[0] == UInt8(ascii: "-") || s[0] == UInt8(ascii: "+") {
      negative = s[0] == UInt8(ascii: "-")
      i = 1
    }
    var mantissa: UInt64 = 0
    var digits = 0, fractionDigits = 0, significant = 0
    var sawDot = false
    while i < n {
      let b = s[i]
      if b >= 0x30 && b <= 0x39 {
        digits += 1
        if mantissa > 0 || b != 0x30 { significant += 1 }
        if significant <= 19 {
          mantissa = mantissa &* 10 &+ UInt64(b - 0x30)
          if sawDot { fractionDigits += 1 }
        } else if !sawDot {
          return slowPath(s, decimalComma: decimalComma)
        }
      } else if b == point && !sawDot {
        sawDot = true
      } else {
        break
      }
      i += 1
    }
    guard digits > 0 else { return nil }
    var exponent = 0
    if i < n && (s[i] == UInt8(ascii: "e") || s[i] == UInt8(ascii: "E")) {
      i += 1
      var expNegative = false
      if i < n && (s[i] == UInt8(ascii: "-") || s[i] == UInt8(ascii: "+")) {
        expNegative = s[i] == UInt8(ascii: "-")
        i += 1
      }
      var expDigits = 0
      while i < n, s[i] >= 0x30 && s[i] <= 0x39 {
        if exponent < 10_000 { exponent = exponent * 10 + Int(s[i] - 0x30) }
        expDigits += 1
        i += 1
      }
      guard expDigits > 0 else { return nil }
      if expNegative { exponent = -exponent }
    }
    guard i == n else { return nil }
    let power = exponent - fractionDigits
    guard significant <= 19, mantissa < (1 << 53), abs(power) <= 22 else { return slowPath(s, decimalComma: decimalComma) }
    var value = Double(mantissa)
    value = power >= 0 ? value * powersOfTen[power] : value / powersOfTen[-power]
    return negative ? -value : value
  }

  private static func slowPath(_ s: UnsafeBufferPointer<UInt8>, decimalComma: Bool) -> Double? {
    var text = String(decoding: s, as: UTF8.self)
    if decimalComma {
      guard !text.contains(".") else { return nil }
      text = text.replacingOccurrences(of: ",", with: ".")
    }
    // Only plain decimals: Double("nan"), Double("inf") and hex floats are not numbers in a data file.
    guard text.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }), let v = Double(text), v.isFinite else { return nil }
    return v
  }
}
