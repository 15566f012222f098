import NeuralNet
import NumberFormat

/// A CSV file's target column made into targets: classes or values, as
/// `--task` says or as its cells suggest, with the reason in words.
enum TargetColumn {
  /// Where a label was read, for errors.
  typealias Position = (line: Int, column: Int)

  /// The targets and why they are classes or values: `"y" holds 3 whole
  /// numbers; --task regression fits them as numbers`.
  static func targets(
    _ labels: [String], positions: [Position], column: String, file: String, kind: ColumnSelection.TargetKind, decimalComma: Bool
  ) throws(DataError) -> (targets: Targets, reason: String) {
    let numbers = labels.map { NumberParser.parse(string: $0, decimalComma: decimalComma) }
    func notANumber(_ i: Int, _ why: String) -> DataError {
      DataError(.malformed, file: file, line: positions[i].line, column: positions[i].column, "target \"\(labels[i])\" in column \"\(column)\" \(why)")
    }
    switch kind {
    case .values:
      if let bad = numbers.firstIndex(where: { $0 == nil }) { throw notANumber(bad, "is not a finite number (--task regression)") }
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
        throw notANumber(bad, "is not a finite number")
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
