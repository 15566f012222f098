import Datasets
import RunEvents
import Training

/// A CSV file read for a saved model: the model's feature columns found by
/// name, whatever their order in this file, and its target column, so a file
/// with its columns in another order (or more of them) still feeds the model
/// what it was trained on.
enum ModelColumns {
  /// The columns of the CSV at `path` for `model` (read from `modelPath`),
  /// or nil when the file has none of the model's feature names (then
  /// columns go by position). The target is `target` if given, else the
  /// column the model was trained to predict, else the one column left over.
  static func selection(path: String, model: Checkpoint, modelPath: String, target: String?, drop: [String]) throws -> ColumnSelection? {
    let header = try CSVLoader.header(path: path)
    let features = model.featureNames
    guard features.contains(where: header.contains) else { return nil }
    let missing = features.filter { !header.contains($0) }
    guard missing.isEmpty else {
      let names = missing.prefix(6).map { "\"\($0)\"" }.joined(separator: ", ") + (missing.count > 6 ? ", …" : "")
      throw DataError(.malformed, file: path, "has no column\(missing.count == 1 ? "" : "s") \(names), which \(modelPath) was trained on")
    }
    if let target, features.contains(target) {
      throw DataError(.usage, file: path, "--target \"\(target)\" is one of the columns \(modelPath) takes as input")
    }
    let leftOver = header.filter { !features.contains($0) && !drop.contains($0) }
    let chosen = target ?? model.targetName.flatMap { header.contains($0) ? $0 : nil } ?? (leftOver.count == 1 ? leftOver[0] : nil)
    let drops = header.filter { !features.contains($0) && $0 != chosen }
    return ColumnSelection(target: chosen, drop: drops, hasTarget: chosen != nil, targetKind: targetKind(of: model))
  }

  /// What the target column holds for `model`: its classes (however few
  /// the file has) or numbers (whatever they look like).
  static func targetKind(of model: Checkpoint) -> ColumnSelection.TargetKind {
    model.encoding.isClassification ? .classes : .values
  }

  /// `dataset` loaded with `selection(…)`: its features in the model's order.
  static func ordered(_ dataset: Dataset, for model: Checkpoint) -> Dataset {
    dataset.featureNames == model.featureNames ? dataset : dataset.selectingFeatures(model.featureNames)
  }
}
