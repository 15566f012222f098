import NeuralNet

/// How targets become network outputs, and outputs predictions again.
///
/// - `binary`: two classes on one sigmoid unit (y = 1 for the second class).
/// - `oneHot`: one unit per class; softmax (or sigmoid/linear) outputs.
/// - `regression`: values standardised with the training split's mean and
///   scale, so the loss is on a sane scale whatever the units.
public enum TargetEncoding: Sendable, Equatable {
  case binary(classes: [String])
  case oneHot(classes: [String])
  case regression(names: [String], mean: [Float], scale: [Float])

  /// The encoding for these targets under this output activation.
  public static func make(for targets: Targets, output: Activation, normalize: Bool) throws(DataError) -> TargetEncoding {
    switch targets {
    case .classes(_, let names):
      return output == .sigmoid && names.count == 2 ? .binary(classes: names) : .oneHot(classes: names)
    case .values(let m, let names):
      guard output == .linear else {
        throw DataError(.usage, "a \(output.rawValue) output cannot fit regression targets; use --output linear (or auto), or --task classification if the values are classes")
      }
      guard normalize else { return .regression(names: names, mean: Array(repeating: 0, count: m.cols), scale: Array(repeating: 1, count: m.cols)) }
      let stats = Standardizer(fitting: m)
      return .regression(names: names, mean: stats.mean, scale: stats.scale)
    case .unlabeled:
      throw DataError(.usage, "the data has no target column to learn")
    }
  }

  public var outputWidth: Int {
    switch self {
    case .binary: 1
    case .oneHot(let classes): classes.count
    case .regression(let names, _, _): names.count
    }
  }

  public var classNames: [String] {
    switch self {
    case .binary(let c), .oneHot(let c): c
    case .regression: []
    }
  }

  public var isClassification: Bool { !classNames.isEmpty }

  /// Targets as network outputs, `(examples, outputs)`.
  public func encode(_ targets: Targets) -> Matrix {
    switch (self, targets) {
    case (.binary, .classes(let labels, _)):
      return Matrix(rows: labels.count, cols: 1, storage: labels.map { $0 == 1 ? 1 : 0 })
    case (.oneHot(let classes), .classes(let labels, _)):
      var m = Matrix(rows: labels.count, cols: classes.count)
      for (i, label) in labels.enumerated() { m[i, label] = 1 }
      return m
    case (.regression(_, let mean, let scale), .values(var m, _)):
      for r in 0..<m.rows {
        // In Double: near the edge of Float's range, m - mean can overflow.
        for c in 0..<m.cols { m[r, c] = Float((Double(m[r, c]) - Double(mean[c])) / Double(scale[c])) }
      }
      return m
    default:
      preconditionFailure("targets do not match their encoding")
    }
  }

  /// The predicted class index of one output column.
  public func predictedClass(_ output: UnsafePointer<Float>, stride: Int) -> Int {
    switch self {
    case .binary: return output[0] >= 0.5 ? 1 : 0
    case .oneHot(let classes):
      var best = 0
      for k in 1..<classes.count where output[k * stride] > output[best * stride] { best = k }
      return best
    case .regression: preconditionFailure("regression has no classes")
    }
  }

  /// Regression outputs back in the target's units.
  public func decodedValue(_ output: Float, index: Int) -> Float {
    guard case .regression(_, let mean, let scale) = self else { return output }
    return output * scale[index] + mean[index]
  }

  /// Re-maps class labels from another data set's class list onto this
  /// encoding's, or names the first label it does not know.
  public func labels(of targets: Targets) -> Result<[Int], DataError> {
    guard case .classes(let labels, let names) = targets else {
      return .failure(DataError(.malformed, "the model predicts classes but the target column holds real numbers"))
    }
    let known = Dictionary(uniqueKeysWithValues: classNames.enumerated().map { ($1, $0) })
    var mapped: [Int] = []
    for label in labels {
      guard let k = known[names[label]] else {
        return .failure(DataError(.malformed, "class \"\(names[label])\" was not among the training classes (\(classNames.joined(separator: ", ")))"))
      }
      mapped.append(k)
    }
    return .success(mapped)
  }
}
