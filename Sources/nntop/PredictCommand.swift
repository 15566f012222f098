import NumberFormat
import ArgumentParser
import Datasets
import Foundation
import NeuralNet
import RunEvents
import Training

/// `nntop predict`: one prediction per row of a data file, with a saved model.
struct Predict: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Predict with a saved model: one line per row; with a target column, the accuracy (or RMSE) on stderr.")

  @Option(help: ArgumentHelp("The model (from --save or the dashboard's s).", valueName: "file.safetensors"))
  var load: String

  @Option(help: "The data: a .csv file, an IDX file or a built-in data set.")
  var data: String

  @Option(help: "CSV: the target column, to score the predictions (default: a column beyond the model's features, if any).")
  var target: String?

  @Option(help: ArgumentHelp("CSV: columns to leave out, comma-separated (quote a name that holds a comma: '\"a,b\",c').", valueName: "col,..."))
  var drop: String?

  @Flag(name: .customLong("by-position"), help: "CSV: feed the model the columns in order, whatever their names (one column more than it takes: the last is the target).")
  var byPosition = false

  @Option(help: "CSV: an empty cell (or NA, NaN, null, ?) is an error, leaves its row out (no line for it), or takes its column's mean in this file.")
  var missing: ColumnSelection.MissingCells = .error

  @Option(help: "CSV: how numbers write their decimals (as for train).")
  var decimal: ColumnSelection.DecimalMark = .auto

  func run() throws {
    let model = try Checkpoint.read(from: load)
    let width = model.network.inputWidth
    let source = try DataSource(spec: data)
    let drops = TrainOptions.columnList(drop)
    var dataset: Dataset
    if case .csv(let path) = source, !byPosition {
      // The model's columns by name.
      let read = try CSVLoader.load(path: path) { header throws(DataError) in
        try ModelColumns.selection(
          header: header, path: path, model: model, modelPath: load, target: target, drop: drops,
          positionHint: "--by-position feeds it the columns in order"
        ).reading(missing: missing, decimal: decimal)
      }
      dataset = ModelColumns.ordered(read, for: model)
    } else if case .csv(let path) = source {
      // By position: features only, unless there is one column more than
      // the model takes (or --target names one).
      dataset = try CSVLoader.load(path: path) { header in
        ColumnSelection(
          target: target, drop: drops, hasTarget: target != nil || header.count - drops.count == width + 1, targetKind: ModelColumns.targetKind(of: model),
          missing: missing, decimal: decimal)
      }
    } else {
      if byPosition || missing != .error || decimal != .auto {
        throw DataError(.usage, "--by-position, --missing and --decimal apply to CSV files, not \(data)")
      }
      dataset = try source.load(seed: model.seed, columns: ColumnSelection(target: target, drop: drops, targetKind: ModelColumns.targetKind(of: model)))
    }
    guard dataset.featureCount == width else {
      throw DataError(
        .malformed, file: data,
        "has \(counted(dataset.featureCount, "feature column")) but \(load) was trained on \(width) (\(ModelColumns.quotedList(model.featureNames)))")
    }
    for note in dataset.readingNotes { FileHandle.standardError.write(Data("\(data): \(note)\n".utf8)) }
    let examples = try EncodedExamples(dataset, standardizer: model.standardizer, encoding: model.encoding)
    let evaluator = Evaluator(network: model.network, encoding: model.encoding)
    var out = ""
    evaluator.forEachChunk(of: examples.inputs) { output, b, _, _ in
      for j in 0..<b {
        if model.encoding.isClassification {
          out += Self.csvField(model.encoding.classNames[model.encoding.predictedClass(output + j, stride: b)])
        } else {
          out += (0..<model.network.outputWidth).map { k in
            general(Double(model.encoding.decodedValue(output[k * b + j], index: k)))
          }.joined(separator: ",")
        }
        out += "\n"
      }
      FileHandle.standardOutput.write(Data(out.utf8))
      out = ""
    }
    if examples.labels != nil || examples.values != nil {
      let result = evaluator.evaluate(examples)
      let score: String
      if let accuracy = result.accuracy {
        let correct = Int((accuracy * Double(result.count)).rounded())
        score = "accuracy \(fixed(100 * accuracy, 2))% (\(correct)/\(result.count))"
      } else {
        score = "rmse \(general(result.rmse ?? .nan)) (\(counted(result.count, "row")))"
      }
      FileHandle.standardError.write(Data((score + "\n").utf8))
    }
  }

  /// A label as one CSV field: quoted (quotes doubled) when it holds a comma,
  /// a quote or a line break, so the predictions read back as CSV, one
  /// record a row.
  static func csvField(_ label: String) -> String {
    guard label.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return label }
    return "\"" + label.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }
}
