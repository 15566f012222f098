import NeuralNet

/// Per-feature z-scores, x' = (x − mean) / std, with the statistics of the
/// training split only (so validation data tells the truth). Constant
/// features keep a scale of 1.
public struct Standardizer: Sendable, Equatable {
  public var mean: [Float]
  public var scale: [Float]

  public init(mean: [Float], scale: [Float]) {
    precondition(mean.count == scale.count)
    self.mean = mean
    self.scale = scale
  }

  /// Statistics of every column of `features` `(examples, features)`, in Double.
  public init(fitting features: Matrix) {
    let n = Double(max(features.rows, 1))
    var sums = [Double](repeating: 0, count: features.cols)
    var squares = [Double](repeating: 0, count: features.cols)
    for r in 0..<features.rows {
      for (c, v) in features.row(r).enumerated() {
        sums[c] += Double(v)
        squares[c] += Double(v) * Double(v)
      }
    }
    mean = sums.map { Float($0 / n) }
    scale = zip(sums, squares).map { s, q in
      let variance = max(q / n - (s / n) * (s / n), 0)
      let std = variance.squareRoot()
      return std > 1e-8 * max(1, abs(s / n)) ? Float(std) : 1
    }
  }

  /// No scaling: mean 0, scale 1.
  public static func identity(width: Int) -> Standardizer {
    Standardizer(mean: Array(repeating: 0, count: width), scale: Array(repeating: 1, count: width))
  }

  public var width: Int { mean.count }

  /// Standardises `(examples, features)` in place.
  public func apply(to features: inout Matrix) {
    precondition(features.cols == width, "standardizer for \(width) features applied to \(features.cols)")
    let cols = features.cols
    features.storage.withUnsafeMutableBufferPointer { p in
      for r in 0..<features.rows {
        // In Double: near the edge of Float's range, x - mean can overflow.
        for c in 0..<cols { p[r * cols + c] = Float((Double(p[r * cols + c]) - Double(mean[c])) / Double(scale[c])) }
      }
    }
  }
}
