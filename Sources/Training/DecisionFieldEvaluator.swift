import RunEvents
import Datasets
import NeuralNet

/// Evaluates a 2-input network over a grid covering the training points, for
/// the decision-boundary panel.
struct DecisionFieldEvaluator {
  static let columns = 96
  static let rows = 48

  let xRange: ClosedRange<Float>
  let yRange: ClosedRange<Float>
  let encoding: TargetEncoding
  private let grid: Matrix  // (points, 2), row-major from the top-left

  init(points: [PlanePoint], encoding: TargetEncoding) {
    let xs = points.map(\.x), ys = points.map(\.y)
    func padded(_ v: [Float]) -> ClosedRange<Float> {
      guard let lo = v.min(), let hi = v.max(), hi > lo else { return -2...2 }
      let margin = (hi - lo) * 0.08
      return (lo - margin)...(hi + margin)
    }
    xRange = padded(xs)
    yRange = padded(ys)
    self.encoding = encoding
    var storage: [Float] = []
    storage.reserveCapacity(Self.columns * Self.rows * 2)
    for r in 0..<Self.rows {
      let y = yRange.upperBound - (Float(r) + 0.5) / Float(Self.rows) * (yRange.upperBound - yRange.lowerBound)
      for c in 0..<Self.columns {
        let x = xRange.lowerBound + (Float(c) + 0.5) / Float(Self.columns) * (xRange.upperBound - xRange.lowerBound)
        storage += [x, y]
      }
    }
    grid = Matrix(rows: Self.columns * Self.rows, cols: 2, storage: storage)
  }

  func field(of network: Network) -> DecisionField {
    var classes = [UInt8](repeating: 0, count: grid.rows)
    var confidence = [Float](repeating: 0, count: grid.rows)
    let outputs = network.outputWidth
    Evaluator(network: network, encoding: encoding).forEachChunk(of: grid) { out, b, first, _ in
      for j in 0..<b {
        switch encoding {
        case .binary:
          let p = out[j]
          classes[first + j] = p >= 0.5 ? 1 : 0
          confidence[first + j] = p.isFinite ? max(p, 1 - p) : 0
        case .oneHot:
          let k = encoding.predictedClass(out + j, stride: b)
          classes[first + j] = UInt8(min(k, 255))
          var sum: Float = 0
          for o in 0..<outputs { sum += max(out[o * b + j], 0) }
          let p = out[k * b + j]
          confidence[first + j] = sum > 0 && p.isFinite ? p / sum : 0
        case .regression:
          confidence[first + j] = out[j]
        }
      }
    }
    return DecisionField(columns: Self.columns, rows: Self.rows, xRange: xRange, yRange: yRange, classes: classes, confidence: confidence)
  }
}
