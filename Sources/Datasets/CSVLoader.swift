import Foundation
import NeuralNet

/// Which columns of a CSV file to learn from.
public struct ColumnSelection: Sendable, Equatable {
  /// The column to predict; nil means the last one.
  public var target: String?
  /// Columns to leave out.
  public var drop: [String]
  /// False when every column is a feature (data to predict on).
  public var hasTarget: Bool
  /// What the target column holds.
  public var targetKind: TargetKind

  /// What a target column holds: judged from its cells (training a new
  /// model: strings or a few integers are classes, and there must be two),
  /// or fixed by a saved model (any number of classes, or numbers).
  public enum TargetKind: Sendable, Equatable {
    case inferred, classes, values
  }

  public init(target: String? = nil, drop: [String] = [], hasTarget: Bool = true, targetKind: TargetKind = .inferred) {
    self.target = target
    self.drop = drop
    self.hasTarget = hasTarget
    self.targetKind = targetKind
  }
}

/// Reads a CSV file (header row, target = last column unless chosen) into a
/// `Dataset`. Labels that are strings, or integers with at most
/// `maxIntegerClasses` distinct values, make a classification problem;
/// anything else numeric is regression.
public enum CSVLoader {
  public static let maxIntegerClasses = 100

  public static func load(path: String, columns: ColumnSelection = ColumnSelection()) throws(DataError) -> Dataset {
    let bytes = try TextFile.read(path)
    return try bytes.withUnsafeBufferPointer { buffer throws(DataError) in
      try parse(buffer, file: path, columns: columns)
    }
  }

  /// The column names of a CSV file's header row.
  public static func header(path: String) throws(DataError) -> [String] {
    let bytes = try TextFile.read(path)
    return try bytes.withUnsafeBufferPointer { buffer throws(DataError) in
      var tokenizer = CSVTokenizer(bytes: buffer, file: path)
      var fields: [CSVTokenizer.Field] = []
      guard try tokenizer.nextRecord(into: &fields) else {
        throw DataError(.malformed, file: path, "no header row (the file holds only blank lines)")
      }
      return fields.map { tokenizer.string($0).trimmingCharacters(in: .whitespaces) }
    }
  }

  /// Parses CSV text already in memory; `file` names it in errors.
  public static func parse(text: String, file: String, columns: ColumnSelection = ColumnSelection()) throws(DataError) -> Dataset {
    let bytes = Array(text.utf8)
    return try bytes.withUnsafeBufferPointer { buffer throws(DataError) in
      try parse(buffer, file: file, columns: columns)
    }
  }

  static func parse(_ buffer: UnsafeBufferPointer<UInt8>, file: String, columns: ColumnSelection) throws(DataError) -> Dataset {
    var tokenizer = CSVTokenizer(bytes: buffer, file: file)
    var fields: [CSVTokenizer.Field] = []
    guard try tokenizer.nextRecord(into: &fields) else {
      throw DataError(.malformed, file: file, "no header row (the file holds only blank lines)")
    }
    let headerLine = tokenizer.recordLine
    let header = fields.enumerated().map { i, f in
      let name = tokenizer.string(f).trimmingCharacters(in: .whitespaces)
      return name.isEmpty ? "column \(i + 1)" : name
    }
    let targetIndex = columns.hasTarget ? try resolveTarget(columns.target, header: header, file: file) : -1
    var dropped = Set<Int>()
    for name in columns.drop {
      guard let i = header.firstIndex(of: name) else {
        throw DataError(.usage, file: file, "--drop names no column \"\(name)\"; the columns are \(header.joined(separator: ", "))")
      }
      guard i != targetIndex else {
        throw DataError(.usage, file: file, "--drop \"\(name)\" would drop the target column")
      }
      dropped.insert(i)
    }
    let featureIndices = header.indices.filter { $0 != targetIndex && !dropped.contains($0) }
    guard !featureIndices.isEmpty else {
      throw DataError(.usage, file: file, columns.hasTarget ? "no feature columns left besides the target \"\(header[targetIndex])\"" : "no feature columns left")
    }

    var storage: [Float] = []
    var labels: [String] = []
    var labelPositions: [(line: Int, column: Int)] = []
    var rows = 0
    while try tokenizer.nextRecord(into: &fields) {
      rows += 1
      guard fields.count == header.count else {
        throw DataError(
          .malformed, file: file, line: tokenizer.recordLine,
          "row has \(fields.count) field\(fields.count == 1 ? "" : "s"), the header has \(header.count)")
      }
      for i in featureIndices {
        storage.append(Float(try tokenizer.number(fields[i], columnName: header[i])))
      }
      guard targetIndex >= 0 else { continue }
      let label = tokenizer.string(fields[targetIndex]).trimmingCharacters(in: .whitespaces)
      if label.isEmpty {
        throw DataError(.malformed, file: file, line: fields[targetIndex].line, column: tokenizer.column(of: fields[targetIndex]), "empty target cell in column \"\(header[targetIndex])\"")
      }
      labels.append(label)
      labelPositions.append((fields[targetIndex].line, tokenizer.column(of: fields[targetIndex])))
    }
    guard rows > 0 else {
      throw DataError(.malformed, file: file, line: headerLine, "a header but no data rows")
    }
    let targets = targetIndex < 0 ? .unlabeled(count: rows) : try makeTargets(labels, positions: labelPositions, column: header[targetIndex], file: file, kind: columns.targetKind)
    let name = URL(fileURLWithPath: file).lastPathComponent
    var dataset = Dataset(
      name: name, featureNames: featureIndices.map { header[$0] },
      features: Matrix(rows: rows, cols: featureIndices.count, storage: storage), targets: targets)
    dataset.targetName = targetIndex < 0 ? nil : header[targetIndex]
    return dataset
  }

  static func resolveTarget(_ target: String?, header: [String], file: String) throws(DataError) -> Int {
    guard let target else { return header.count - 1 }
    if let i = header.firstIndex(of: target) { return i }
    let folded = header.indices.filter { header[$0].lowercased() == target.lowercased() }
    if folded.count == 1 { return folded[0] }
    throw DataError(.usage, file: file, "no column \"\(target)\" for --target; the columns are \(header.joined(separator: ", "))")
  }

  /// Classes from strings or few distinct integers; otherwise regression
  /// values — unless `kind` says which.
  static func makeTargets(_ labels: [String], positions: [(line: Int, column: Int)], column: String, file: String, kind: ColumnSelection.TargetKind) throws(DataError) -> Targets {
    let numbers = labels.map { NumberParser.parse(string: $0) }
    let allNumeric = numbers.allSatisfy { $0 != nil }
    func notFinite(_ i: Int) -> DataError {
      DataError(.malformed, file: file, line: positions[i].line, column: positions[i].column, "target \"\(labels[i])\" in column \"\(column)\" is not a finite number")
    }
    if kind == .values, let bad = numbers.firstIndex(where: { $0 == nil }) { throw notFinite(bad) }
    if allNumeric && kind != .classes {
      let values = numbers.map { $0! }
      // Whole numbers a Double holds exactly (beyond 2^53 they are measurements, not class labels).
      let integral = values.allSatisfy { $0 == $0.rounded() && abs($0) < 9e15 } && labels.allSatisfy { !$0.contains(".") && !$0.lowercased().contains("e") }
      let distinct = Set(values)
      if !integral || distinct.count > maxIntegerClasses || kind == .values {
        return .values(Matrix(rows: values.count, cols: 1, storage: values.map(Float.init)), names: [column])
      }
      let classes = distinct.sorted()
      guard classes.count >= 2 else {
        throw DataError(.malformed, file: file, "target column \"\(column)\" has only one class (\(labels[0])): nothing to learn")
      }
      let index = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
      return .classes(labels: values.map { index[$0]! }, names: classes.map { String(Int($0)) })
    }
    // NaN or infinity among otherwise real labels (a saved model's classes are names as they are).
    if kind == .inferred, let bad = labels.indices.first(where: { numbers[$0] == nil && Double(labels[$0]) != nil }) {
      throw notFinite(bad)
    }
    let classes = Set(labels).sorted()
    // A new model needs two classes; a saved model's are as many as the file holds.
    guard classes.count >= 2 || kind == .classes else {
      throw DataError(.malformed, file: file, "target column \"\(column)\" has only one class (\(labels[0])): nothing to learn")
    }
    let index = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
    return .classes(labels: labels.map { index[$0]! }, names: classes)
  }
}

extension NumberParser {
  static func parse(string: String) -> Double? {
    var s = string
    return s.withUTF8 { parse($0) }
  }
}
