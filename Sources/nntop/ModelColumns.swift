import Datasets
import RunEvents
import Training

/// A CSV file read for a saved model: the model's feature columns found by
/// name, whatever their order in this file, and its target column, so a file
/// with its columns in another order (or more of them) still feeds the model
/// what it was trained on, and one without them is refused, never read by
/// position unasked.
enum ModelColumns {
  /// The columns of the CSV at `path`, whose header is `header`, for `model`
  /// (read from `modelPath`), found by name. The target is `target` if
  /// given, else the column the model was trained to predict, else (for a
  /// model that names none) the one column left over. A file without all of
  /// the model's columns is refused, naming the missing ones and the file's
  /// others; `positionHint` says how to read it by position instead, where
  /// the command can.
  static func selection(
    header: [String], path: String, model: Checkpoint, modelPath: String, target: String?, drop: [String], positionHint: String? = nil
  ) throws(DataError) -> ColumnSelection {
    let features = model.featureNames
    let missing = features.filter { !header.contains($0) }
    guard missing.isEmpty else {
      let others = header.filter { !features.contains($0) && !drop.contains($0) && $0 != (target ?? model.targetName) }
      throw DataError(
        .malformed, file: path,
        "has no \(missing.count == 1 ? "column" : "columns") \(quotedList(missing)), which \(modelPath) was trained on"
          + (others.isEmpty ? "" : "; \(others.count == 1 ? "its column" : "its columns") \(quotedList(others)) \(others.count == 1 ? "is" : "are") not the model's")
          + (positionHint.map { " (\($0))" } ?? ""))
    }
    // --target as the loader reads it (a name that differs only in case is that column).
    let named = try target.map { name throws(DataError) in header[try CSVLoader.resolveTarget(name, header: header, file: path)] }
    if let named, features.contains(named) {
      throw DataError(.usage, file: path, "--target \"\(target!)\" is one of the columns \(modelPath) takes as input")
    }
    // A model that knows its target's name takes no other column for it.
    let leftOver = header.filter { !features.contains($0) && !drop.contains($0) }
    let chosen = named ?? model.targetName.flatMap { header.contains($0) ? $0 : nil } ?? (model.targetName == nil && leftOver.count == 1 ? leftOver[0] : nil)
    let drops = header.filter { !features.contains($0) && $0 != chosen }
    return ColumnSelection(target: chosen, drop: drops, hasTarget: chosen != nil, targetKind: targetKind(of: model))
  }

  /// `"a", "b", "c", …` (six at most).
  static func quotedList(_ names: [String]) -> String {
    names.prefix(6).map { "\"\($0)\"" }.joined(separator: ", ") + (names.count > 6 ? ", … (\(names.count) in all)" : "")
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
