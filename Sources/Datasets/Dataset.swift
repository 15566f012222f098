import RunEvents
import NeuralNet
import NumberFormat

/// A table of examples: features and what to predict from them.
///
/// Features are stored one row per example, as files hold them; the trainer
/// gathers mini-batches into the engine's one-column-per-example layout.
public struct Dataset: Sendable {
  public var name: String
  public var featureNames: [String]
  public var features: Matrix  // (examples, features)
  public var targets: Targets
  /// The column the targets came from (CSV files); nil for other sources.
  public var targetName: String?
  /// Why the targets are classes or values, where it was judged (CSV files):
  /// `"y" holds 3 whole numbers; --task regression fits them as numbers`.
  public var targetReason: String?
  /// What reading the file decided besides (a decimal comma, rows left out, cells filled).
  public var readingNotes: [String] = []
  /// `(rows, cols)` when the features are the pixels of an image, row-major.
  public var imageShape: ImageShape?
  /// Settings this data set is meant to be trained with, where it has any.
  public var suggestions = Suggestions()

  public init(name: String, featureNames: [String], features: Matrix, targets: Targets, imageShape: ImageShape? = nil) {
    precondition(featureNames.count == features.cols, "\(featureNames.count) names for \(features.cols) features")
    precondition(targets.count == features.rows, "\(targets.count) targets for \(features.rows) examples")
    self.name = name
    self.featureNames = featureNames
    self.features = features
    self.targets = targets
    self.imageShape = imageShape
  }

  public var count: Int { features.rows }
  public var featureCount: Int { features.cols }

  /// The examples at `indices`, in that order.
  public func subset(_ indices: [Int]) -> Dataset {
    let width = featureCount
    var storage = [Float]()
    storage.reserveCapacity(indices.count * width)
    for i in indices { storage.append(contentsOf: features.row(i)) }
    var copy = self
    copy.features = Matrix(rows: indices.count, cols: width, storage: storage)
    copy.targets = targets.subset(indices)
    return copy
  }

  /// The same examples with the features `names`, in that order (every name
  /// must be one of `featureNames`): a file's columns in a model's order.
  public func selectingFeatures(_ names: [String]) -> Dataset {
    let columns = names.map { name in featureNames.firstIndex(of: name)! }
    var storage = [Float]()
    storage.reserveCapacity(count * columns.count)
    for r in 0..<count {
      let row = features.row(r)
      for c in columns { storage.append(row[row.startIndex + c]) }
    }
    var copy = self
    copy.featureNames = names
    copy.features = Matrix(rows: count, cols: columns.count, storage: storage)
    return copy
  }

  /// A one-line description: `digits: 1,797 examples × 64 features, 10 classes`,
  /// and why, where the targets were judged: `…, 3 classes ("y" holds 3 whole numbers; …)`.
  public var summary: String {
    "\(name): \(counted(count, "example")) × \(counted(featureCount, "feature")), \(targets.summary)" + (targetReason.map { " (\($0))" } ?? "")
  }
}

/// What the network predicts.
public enum Targets: Sendable, Equatable {
  /// A class index per example into `names` (classification).
  case classes(labels: [Int], names: [String])
  /// Real values per example, `(examples, outputs)` (regression).
  case values(Matrix, names: [String])
  /// No targets (data to predict on).
  case unlabeled(count: Int)

  public var count: Int {
    switch self {
    case .classes(let labels, _): labels.count
    case .values(let m, _): m.rows
    case .unlabeled(let count): count
    }
  }

  public var isClassification: Bool {
    if case .classes = self { return true }
    return false
  }

  public var classNames: [String] {
    if case .classes(_, let names) = self { return names }
    return []
  }

  public func subset(_ indices: [Int]) -> Targets {
    switch self {
    case .classes(let labels, let names): return .classes(labels: indices.map { labels[$0] }, names: names)
    case .values(let m, let names):
      return .values(Matrix(rows: indices.count, cols: m.cols, storage: indices.flatMap { m.row($0) }), names: names)
    case .unlabeled: return .unlabeled(count: indices.count)
    }
  }

  public var summary: String {
    switch self {
    case .classes(_, let names): counted(names.count, "class", plural: "classes")
    case .values(let m, _): m.cols == 1 ? "regression" : "regression, \(m.cols) outputs"
    case .unlabeled: "no targets"
    }
  }
}

/// Settings a built-in data set is meant to be trained with (the worked
/// example's weights, say). Flags given on the command line win.
public struct Suggestions: Sendable {
  public var network: Network?
  public var normalize: Bool?
  public var validationSplit: Double?
  public var batch: Int?
  public var learningRate: Float?
  public var hiddenLayers: [Int]?
  public var activation: Activation?
  public init() {}

  /// What each built-in data set suggests, by name (the seed example's
  /// weights aside), so `--help` can say it without making the data.
  public static func builtin(_ name: String) -> Suggestions {
    var s = Suggestions()
    switch name {
    case "spirals", "xor", "moons", "circles", "gaussians":
      s.hiddenLayers = [16, 16]
    case "sine":
      s.hiddenLayers = [32, 32]
      s.activation = .tanh
      s.learningRate = 0.05
    case "seed-example":
      s.hiddenLayers = [2]
      s.activation = .sigmoid
      s.normalize = false
      s.validationSplit = 0
      s.batch = 1
      s.learningRate = 0.5
    default: break
    }
    return s
  }
}

