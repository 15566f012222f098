import Foundation
import NeuralNet
import NumberFormat

/// Reads a CSV file (header row, target = last column unless chosen; `.gz`
/// read as it is) into a `Dataset`. What the target holds is judged by
/// `TargetColumn`; how missing cells are met, by `ColumnSelection.missing`.
public enum CSVLoader {
  public static func load(path: String, columns: ColumnSelection = ColumnSelection()) throws(DataError) -> Dataset {
    try load(path: path) { _ in columns }
  }

  /// Reads a CSV file whose columns are chosen from its header's names (a
  /// saved model's, found by name): the file is read once.
  public static func load(path: String, columnsFor choose: ([String]) throws(DataError) -> ColumnSelection) throws(DataError) -> Dataset {
    let bytes = try TextFile.read(path)
    return try bytes.withUnsafeBufferPointer { buffer throws(DataError) in
      try parse(buffer, file: path, columnsFor: choose)
    }
  }

  /// Parses CSV text already in memory; `file` names it in errors.
  public static func parse(text: String, file: String, columns: ColumnSelection = ColumnSelection()) throws(DataError) -> Dataset {
    let bytes = Array(text.utf8)
    return try bytes.withUnsafeBufferPointer { buffer throws(DataError) in
      try parse(buffer, file: file) { _ in columns }
    }
  }

  /// The header's names. Empty cells at its end are no columns (a comma
  /// ending every line); an empty cell before them is `column N`; a name
  /// given twice is refused.
  static func readHeader(_ tokenizer: inout CSVTokenizer, file: String) throws(DataError) -> [String] {
    var fields: [CSVTokenizer.Field] = []
    guard try tokenizer.nextRecord(into: &fields) else {
      throw DataError(.malformed, file: file, "no header row (the file holds only blank lines)")
    }
    var names = fields.map { tokenizer.string($0).trimmingCharacters(in: .whitespaces) }
    while names.count > 1 && names.last!.isEmpty { names.removeLast() }
    names = names.enumerated().map { i, name in name.isEmpty ? "column \(i + 1)" : name }
    var first: [String: Int] = [:]
    for (i, name) in names.enumerated() {
      if let j = first[name] {
        throw DataError(
          .malformed, file: file, line: tokenizer.recordLine,
          "column \"\(name)\" appears twice in the header (columns \(j + 1) and \(i + 1)); rename one")
      }
      first[name] = i
    }
    return names
  }

  static func parse(_ buffer: UnsafeBufferPointer<UInt8>, file: String, columnsFor choose: ([String]) throws(DataError) -> ColumnSelection) throws(DataError) -> Dataset {
    var tokenizer = CSVTokenizer(bytes: buffer, file: file)
    let header = try readHeader(&tokenizer, file: file)
    let headerLine = tokenizer.recordLine
    let columns = try choose(header)
    try tokenizer.readDecimals(columns.decimal)
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

    var fields: [CSVTokenizer.Field] = []
    var storage: [Float] = []
    var labels: [TargetColumn.Label] = []
    var rows = 0, rowsWithoutFeatures = 0
    rows: while try tokenizer.nextRecord(into: &fields) {
      try checkWidth(fields, header: header, tokenizer: tokenizer, file: file)
      let rowStart = storage.count
      for i in featureIndices {
        let field = fields[i]
        if let v = tokenizer.value(field) {
          storage.append(Float(v))
          continue
        }
        guard tokenizer.isMissing(field) else { throw tokenizer.numberError(field, columnName: header[i]) }
        switch columns.missing {
        case .error:
          throw missingError(tokenizer.string(field), what: "cell", column: header[i], at: (field.line, tokenizer.column(of: field)), file: file)
        case .drop:
          storage.removeSubrange(rowStart...)
          rowsWithoutFeatures += 1
          continue rows
        case .mean:
          storage.append(.nan)
        }
      }
      if targetIndex >= 0 {
        let field = fields[targetIndex]
        labels.append(TargetColumn.Label(text: tokenizer.string(field).trimmingCharacters(in: .whitespaces), line: field.line, column: tokenizer.column(of: field)))
      }
      rows += 1
    }
    // Rows without a target are left out; a column with no target at all is none.
    let missingTargets = TargetColumn.missing(labels, decimalComma: tokenizer.decimalComma)
    let noTargets = targetIndex >= 0 && rows > 0 && missingTargets.allSatisfy { $0 }
    var rowsWithoutTarget = 0
    if !noTargets, let first = missingTargets.firstIndex(of: true) {
      let label = labels[first]
      guard columns.missing != .error else {
        throw missingError(label.text, what: "target", column: header[targetIndex], at: (label.line, label.column), file: file)
      }
      let width = featureIndices.count
      storage = missingTargets.indices.filter { !missingTargets[$0] }.flatMap { storage[($0 * width)..<(($0 + 1) * width)] }
      labels = labels.indices.filter { !missingTargets[$0] }.map { labels[$0] }
      rowsWithoutTarget = rows - labels.count
      rows = labels.count
    }
    guard rows > 0 else {
      if rowsWithoutFeatures + rowsWithoutTarget > 0 {
        throw DataError(
          .malformed, file: file,
          "no row is left to learn from: \(counted(rowsWithoutFeatures + rowsWithoutTarget, "row")) with a missing cell left out (--missing \(columns.missing.rawValue))")
      }
      throw DataError(.malformed, file: file, line: headerLine, "a header but no data rows")
    }
    var features = Matrix(rows: rows, cols: featureIndices.count, storage: storage)
    let filledCells = storage.reduce(0) { $0 + ($1.isNaN ? 1 : 0) }
    if filledCells > 0 { try fillWithMeans(&features, names: featureIndices.map { header[$0] }, file: file) }
    var notes: [String] = []
    if tokenizer.decimalComma { notes.append("decimals written with a comma (3,14)") }
    if rowsWithoutFeatures > 0 {
      notes.append("\(counted(rowsWithoutFeatures, "row")) with a missing cell left out (--missing \(columns.missing.rawValue))")
    }
    if rowsWithoutTarget > 0 {
      notes.append("\(counted(rowsWithoutTarget, "row")) without a target left out (--missing \(columns.missing.rawValue))")
    }
    if filledCells > 0 { notes.append("\(counted(filledCells, "missing cell")) filled with the column's mean (--missing mean)") }
    if noTargets { notes.append("the target column \"\(header[targetIndex])\" holds no values: no target") }

    var dataset: Dataset
    let name = URL(fileURLWithPath: file).lastPathComponent
    let featureNames = featureIndices.map { header[$0] }
    if targetIndex < 0 || noTargets {
      dataset = Dataset(name: name, featureNames: featureNames, features: features, targets: .unlabeled(count: rows))
    } else {
      let (targets, reason) = try TargetColumn.targets(
        labels, column: header[targetIndex], file: file, kind: columns.targetKind, decimalComma: tokenizer.decimalComma)
      dataset = Dataset(name: name, featureNames: featureNames, features: features, targets: targets)
      dataset.targetName = header[targetIndex]
      dataset.targetReason = reason
    }
    dataset.readingNotes = notes
    return dataset
  }

  /// A row as wide as the header; cells under its empty trailing cells must be empty too.
  private static func checkWidth(_ fields: [CSVTokenizer.Field], header: [String], tokenizer: CSVTokenizer, file: String) throws(DataError) {
    if let i = (header.count..<max(fields.count, header.count)).first(where: { fields[$0].end > fields[$0].start }) {
      throw DataError(
        .malformed, file: file, line: fields[i].line, column: tokenizer.column(of: fields[i]),
        "\"\(tokenizer.string(fields[i]))\" is in column \(i + 1), which the header does not name")
    }
    guard fields.count >= header.count else {
      throw DataError(
        .malformed, file: file, line: tokenizer.recordLine,
        "row has \(counted(fields.count, "field")), the header has \(header.count)")
    }
  }

  /// `empty cell in column "x"` or `missing target (NA) in column "y"`, and the flag that says what to do.
  private static func missingError(_ cell: String, what: String, column: String, at position: (line: Int, column: Int), file: String) -> DataError {
    let text = cell.trimmingCharacters(in: .whitespaces)
    return DataError(
      .malformed, file: file, line: position.line, column: position.column,
      "\(text.isEmpty ? "empty \(what)" : "missing \(what) (\(text))") in column \"\(column)\": "
        + (what == "target" ? "--missing drop leaves such rows out" : "--missing drop leaves such rows out, --missing mean fills a feature with its column's mean"))
  }

  /// NaN placeholders replaced by their column's mean over the rows that have a value.
  private static func fillWithMeans(_ features: inout Matrix, names: [String], file: String) throws(DataError) {
    for c in 0..<features.cols {
      var sum = 0.0, n = 0
      for r in 0..<features.rows where !features[r, c].isNaN {
        sum += Double(features[r, c])
        n += 1
      }
      guard n < features.rows else { continue }
      guard n > 0 else { throw DataError(.malformed, file: file, "column \"\(names[c])\" has no values: there is no mean to fill it with; --drop it") }
      let mean = Float(sum / Double(n))
      for r in 0..<features.rows where features[r, c].isNaN { features[r, c] = mean }
    }
  }

  /// The column `--target` names: exactly, or the one column whose name differs only in case.
  public static func resolveTarget(_ target: String?, header: [String], file: String) throws(DataError) -> Int {
    guard let target else { return header.count - 1 }
    if let i = header.firstIndex(of: target) { return i }
    let folded = header.indices.filter { header[$0].lowercased() == target.lowercased() }
    if folded.count == 1 { return folded[0] }
    throw DataError(.usage, file: file, "no column \"\(target)\" for --target; the columns are \(header.joined(separator: ", "))")
  }
}
