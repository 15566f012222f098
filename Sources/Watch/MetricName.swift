/// What a metric's name says it is, in the names other tools log under:
/// `train_loss`, `loss/train`, `Loss/val`, `val_acc_epoch`,
/// `validation/epoch_accuracy` (Keras), `lr-Adam` (Lightning), `grad_norm/fc1`
/// (nntop's own event files), `grad_2.0_norm/fc1.weight` (Lightning's
/// `grad_norm`). The words are compared case-blind, split at `/ _ - .` and
/// spaces. Shared by the CSV-logger and TensorBoard sources.
public enum MetricName: Equatable, Sendable {
  case trainLoss
  case validationLoss
  case trainAccuracy
  case validationAccuracy
  case learningRate
  /// A layer's ‖∂J/∂W‖, with the layer's name.
  case gradientNorm(layer: String)
  /// A number the curves do not draw; the metric panel can show it (`m`).
  case other

  static let validationWords: Set<String> = ["val", "valid", "validation", "test", "eval", "dev"]
  static let accuracyWords: Set<String> = ["acc", "accuracy", "top1"]
  /// Columns that are the x axis, not a metric.
  static let axisNames: Set<String> = ["step", "epoch", "global_step", "wall_time", "time", "timestamp"]

  static func words(_ name: String) -> [String] {
    name.lowercased().split { "/_-. ".contains($0) }.map(String.init)
  }

  public init(_ name: String) {
    let words = Self.words(name)
    let set = Set(words)
    if let layer = Self.gradientLayer(name) {
      self = .gradientNorm(layer: layer)
    } else if set.contains("loss") {
      self = set.isDisjoint(with: Self.validationWords) ? .trainLoss : .validationLoss
    } else if !set.isDisjoint(with: Self.accuracyWords) {
      self = set.isDisjoint(with: Self.validationWords) ? .trainAccuracy : .validationAccuracy
    } else if set.contains("lr") || name.lowercased().contains("learning_rate") || name.lowercased().contains("learningrate")
      || (set.contains("learning") && set.contains("rate"))
    {
      self = .learningRate
    } else {
      self = .other
    }
  }

  /// `grad_norm/fc1` → `fc1`; `grad_2.0_norm/fc1.weight` → `fc1`; nil when the
  /// name is no layer's gradient norm (`grad_2.0_norm_total` is the model's).
  static func gradientLayer(_ name: String) -> String? {
    let gradientWords: Set<String> = ["grad", "grads", "gradient", "gradients"]
    let markerWords = gradientWords.union(["norm", "l2", "2", "0"])
    let parts = name.split(separator: "/").map(String.init)
    // The parts that only say "gradient norm" (`grad_norm`, `grad_2.0_norm`, `gradients`, `norm`); the rest name the layer.
    let isMarker = parts.map { part in
      let w = Set(words(part))
      return w.isSubset(of: markerWords) && !w.isDisjoint(with: gradientWords.union(["norm"]))
    }
    let said = Set(zip(parts, isMarker).filter(\.1).flatMap { words($0.0) })
    guard !said.isDisjoint(with: gradientWords), said.contains("norm") else { return nil }
    var layer = zip(parts, isMarker).filter { !$0.1 }.map(\.0).joined(separator: "/")
    for suffix in [".weight", "/weight"] where layer.hasSuffix(suffix) { layer.removeLast(suffix.count) }
    // Not a layer: the model's total (`train/grad_norm` of Hugging Face's Trainer, `…_total`), or a bias's norm.
    let notLayers: Set<String> = ["train", "training", "total", "all", "global", "model"]
    guard !layer.isEmpty, !notLayers.union(validationWords).contains(layer.lowercased()), !layer.hasSuffix(".bias") else { return nil }
    return layer
  }

  /// Among names of one kind, the one to draw: one without an `epoch` word
  /// (Lightning's `train_loss_step` over `train_loss_epoch`), else the first.
  static func preferred(_ names: [String]) -> String? {
    names.first { !words($0).contains("epoch") } ?? names.first
  }
}
