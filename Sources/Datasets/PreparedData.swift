import RunEvents
import NeuralNet

/// Examples ready for the network: standardised inputs and encoded targets.
public struct EncodedExamples: Sendable {
  public var inputs: Matrix  // (examples, features), standardised
  public var targets: Matrix  // (examples, outputs), encoded
  /// Class index per example, for accuracy; nil for regression.
  public var labels: [Int]?
  /// Regression targets in their own units, for RMSE; nil for classification.
  public var values: Matrix?  // (examples, outputs)

  public var count: Int { inputs.rows }

  /// Encodes `data` with statistics and encoding fixed elsewhere (by training).
  public init(_ data: Dataset, standardizer: Standardizer, encoding: TargetEncoding) throws(DataError) {
    var inputs = data.features
    standardizer.apply(to: &inputs)
    self.inputs = inputs
    switch data.targets {
    case .classes:
      guard encoding.isClassification else {
        throw DataError(.malformed, "the model does regression but the target column holds class labels")
      }
      let labels = try encoding.labels(of: data.targets).get()
      self.labels = labels
      targets = encoding.encode(.classes(labels: labels, names: encoding.classNames))
      values = nil
    case .values(let m, _):
      guard !encoding.isClassification else {
        throw DataError(.malformed, "the model predicts classes but the target column holds real numbers")
      }
      labels = nil
      values = m
      targets = encoding.encode(data.targets)
    case .unlabeled(let count):
      labels = nil
      values = nil
      targets = Matrix(rows: count, cols: encoding.outputWidth)
    }
  }
}

/// A data set split, standardised and encoded for training.
public struct PreparedData: Sendable {
  public var train: EncodedExamples
  /// Nil when `--val-split 0`.
  public var validation: EncodedExamples?
  public var standardizer: Standardizer
  public var encoding: TargetEncoding
  public var featureNames: [String]
  /// The column the targets came from (CSV files).
  public var targetName: String?
  public var imageShape: ImageShape?
  public var name: String
  /// The fraction held out for validation.
  public var validationSplit: Double

  /// Shuffles with `seed`, holds out `validationSplit` of the examples, fits
  /// the standardiser on the rest (unless `normalize` is off) and encodes
  /// targets for `output`.
  public init(_ data: Dataset, validationSplit: Double, normalize: Bool, output: Activation, seed: UInt64) throws(DataError) {
    let (trainSet, validationSet) = try Self.split(data, validationSplit: validationSplit, seed: seed)
    let standardizer = normalize ? Standardizer(fitting: trainSet.features) : .identity(width: data.featureCount)
    let encoding = try TargetEncoding.make(for: trainSet.targets, output: output, normalize: normalize)
    try self.init(data, train: trainSet, validation: validationSet, standardizer: standardizer, encoding: encoding, validationSplit: validationSplit)
  }

  /// Splits as above but with the statistics and encoding of a saved model.
  public init(_ data: Dataset, validationSplit: Double, standardizer: Standardizer, encoding: TargetEncoding, seed: UInt64) throws(DataError) {
    let (trainSet, validationSet) = try Self.split(data, validationSplit: validationSplit, seed: seed)
    try self.init(data, train: trainSet, validation: validationSet, standardizer: standardizer, encoding: encoding, validationSplit: validationSplit)
  }

  private init(
    _ data: Dataset, train trainSet: Dataset, validation validationSet: Dataset?, standardizer: Standardizer, encoding: TargetEncoding,
    validationSplit: Double
  ) throws(DataError) {
    self.validationSplit = validationSplit
    self.standardizer = standardizer
    self.encoding = encoding
    train = try EncodedExamples(trainSet, standardizer: standardizer, encoding: encoding)
    validation = try validationSet.map { set throws(DataError) in try EncodedExamples(set, standardizer: standardizer, encoding: encoding) }
    featureNames = data.featureNames
    targetName = data.targetName
    imageShape = data.imageShape
    name = data.name
  }

  /// A seeded shuffle, then the first `validationSplit` of the examples held out.
  static func split(_ data: Dataset, validationSplit: Double, seed: UInt64) throws(DataError) -> (Dataset, Dataset?) {
    guard validationSplit >= 0 && validationSplit < 1 else {
      throw DataError(.usage, "--val-split must be in 0..<1, got \(validationSplit)")
    }
    var order = Array(0..<data.count)
    var rng = SeededGenerator(seed: seed ^ 0x5B11_7000)
    rng.shuffle(&order)
    var validationCount = Int((Double(data.count) * validationSplit).rounded())
    if validationSplit > 0 { validationCount = max(validationCount, 1) }
    guard data.count - validationCount >= 1 else {
      throw DataError(.usage, "\(data.name) has \(data.count) example\(data.count == 1 ? "" : "s"): too few to hold out --val-split \(validationSplit)")
    }
    let validation = validationCount > 0 ? data.subset(Array(order[..<validationCount])) : nil
    return (data.subset(Array(order[validationCount...])), validation)
  }
}
