import NeuralNet
import NumberFormat

/// A CSV file's target column made into targets: classes or values, as
/// `--task` says or as its cells suggest, with the reason in words.
enum TargetColumn {
  /// A target cell: its text, and where it was read, for errors.
  struct Label {
    var text: String
    var line: Int
    var column: Int
  }

  /// Which labels are missing: empty ones, and the marks pandas reads as
  /// missing (NA, NaN, null, ?…) in a column of numbers. In a column of
  /// names they are names (NA: North America).
  static func missing(_ labels: [Label], decimalComma: Bool) -> [Bool] {
    let marked = labels.map { CSVTokenizer.missingMarks.contains($0.text) }
    let numbers = labels.indices.filter { !marked[$0] }.allSatisfy { NumberParser.parse(string: labels[$0].text, decimalComma: decimalComma) != nil }
    return labels.indices.map { labels[$0].text.isEmpty || (marked[$0] && numbers) }
  }

  /// The targets and why they are classes or values: `"y" holds 3 whole
  /// numbers; --task regression fits them as numbers`.
  static func targets(
    _ cells: [Label], column: String, file: String, kind: ColumnSelection.TargetKind, decimalComma: Bool
  ) throws(DataError) -> (targets: Targets, reason: String) {
    let labels = cells.map(\.text)
    // Numbers a 32-bit float holds (nntop trains in fp32).
    let numbers = labels.map { NumberParser.parse(string: $0, decimalComma: decimalComma).flatMap { Float($0).isFinite ? $0 : nil } }
    func notANumber(_ i: Int, _ task: String = "") -> DataError {
      let text = labels[i]
      let kind = NumberProblem(text, decimalComma: decimalComma, commaPossible: false)
      let why = kind.phrase ?? "is not a finite number" + task
      return DataError(.malformed, file: file, line: cells[i].line, column: cells[i].column, "target \"\(text)\" in column \"\(column)\" \(why)")
    }
    switch kind {
    case .values:
      if let bad = numbers.firstIndex(where: { $0 == nil }) { throw notANumber(bad, " (--task regression)") }
      return (values(numbers.map { $0! }, column: column), "--task regression")
    case .classes:
      return (classes(labels, numbers: numbers), "--task classification")
    case .inferred:
      if numbers.allSatisfy({ $0 != nil }) {
        let values = numbers.map { $0! }
        let whole = values.allSatisfy(isWhole)
        let distinct = Set(values).count
        guard whole && ColumnSelection.fewClasses(distinct, rows: values.count) else {
          let reason =
            whole
            ? "\"\(column)\" holds \(distinct) distinct whole numbers in \(counted(values.count, "row")), too many to be classes; --task classification makes classes of them"
            : "\"\(column)\" holds numbers that are not whole"
          return (Self.values(values, column: column), reason)
        }
        try requireTwo(distinct, labels, column: column, file: file)
        return (classes(labels, numbers: numbers), "\"\(column)\" holds \(distinct) whole numbers; --task regression fits them as numbers")
      }
      // NaN or infinity among otherwise real labels.
      if let bad = labels.indices.first(where: { numbers[$0] == nil && Double(labels[$0]) != nil }) {
        throw notANumber(bad)
      }
      let targets = classes(labels, numbers: numbers)
      try requireTwo(targets.classNames.count, labels, column: column, file: file)
      return (targets, "\"\(column)\" holds names")
    }
  }

  /// A new model needs two classes to tell apart.
  private static func requireTwo(_ count: Int, _ labels: [String], column: String, file: String) throws(DataError) {
    guard count >= 2 else {
      throw DataError(.malformed, file: file, "target column \"\(column)\" has only one class (\(labels[0])): nothing to learn")
    }
  }

  /// Whole numbers a Double holds exactly (beyond 2^53 they are measurements, not labels).
  private static func isWhole(_ v: Double) -> Bool { v == v.rounded() && abs(v) < 9e15 }

  private static func values(_ values: [Double], column: String) -> Targets {
    .values(Matrix(rows: values.count, cols: 1, storage: values.map(Float.init)), names: [column])
  }

  /// One class per distinct label. A whole number is named as one (`2.0`
  /// and `2` are class `2`); numbers sort by value, names alphabetically.
  private static func classes(_ labels: [String], numbers: [Double?]) -> Targets {
    let names = labels.indices.map { i in numbers[i].map { isWhole($0) ? String(Int($0)) : labels[i] } ?? labels[i] }
    let numeric = numbers.allSatisfy { $0 != nil }
    let value = Dictionary(names.indices.map { (names[$0], numbers[$0] ?? 0) }, uniquingKeysWith: { a, _ in a })
    let sorted = Set(names).sorted { numeric ? (value[$0]!, $0) < (value[$1]!, $1) : $0 < $1 }
    let index = Dictionary(uniqueKeysWithValues: sorted.enumerated().map { ($1, $0) })
    return .classes(labels: names.map { index[$0]! }, names: sorted)
  }
}

extension NumberParser {
  static func parse(string: String, decimalComma: Bool = false) -> Double? {
    var s = string
    return s.withUTF8 { parse($0, decimalComma: decimalComma) }
  }
}
