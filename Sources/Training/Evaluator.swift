import Datasets
import NeuralNet

/// Buffers for evaluating networks of one shape, kept between evaluations
/// so an epoch's validation pass allocates nothing: the workspace and the
/// chunk's inputs and targets, one column per example.
public final class EvaluationBuffers {
  let workspace: Workspace
  var inputs: [Float]  // (in, capacity)
  var targets: [Float]  // (out, capacity)

  public init(network: Network, capacity: Int = Evaluator.defaultChunk) {
    workspace = Workspace(network: network, capacity: capacity)
    inputs = Array(repeating: 0, count: network.inputWidth * capacity)
    targets = Array(repeating: 0, count: network.outputWidth * capacity)
  }

  func fits(_ network: Network, capacity: Int) -> Bool {
    workspace.fits(network) && workspace.capacity >= capacity
  }
}

/// Runs a network over many examples in chunks: evaluation and prediction.
public struct Evaluator {
  public static let defaultChunk = 512
  public let network: Network
  public let encoding: TargetEncoding
  /// Examples per forward pass.
  public var chunk = Evaluator.defaultChunk
  /// Reused buffers, when the caller keeps some.
  private let buffers: EvaluationBuffers?

  public init(network: Network, encoding: TargetEncoding, buffers: EvaluationBuffers? = nil) {
    self.network = network
    self.encoding = encoding
    self.buffers = buffers
  }

  /// Calls `body` with each chunk's outputs `(out, b)` (row stride b), the
  /// chunk's size b and the index of its first example.
  public func forEachChunk(
    of inputs: Matrix, targets: Matrix? = nil, _ body: (_ outputs: UnsafePointer<Float>, _ b: Int, _ first: Int, _ loss: Double?) -> Void
  ) {
    let n = inputs.rows, width = inputs.cols, outputs = network.outputWidth
    guard n > 0 else { return }
    let capacity = min(chunk, n)
    let buffers = self.buffers.flatMap { $0.fits(network, capacity: capacity) ? $0 : nil } ?? EvaluationBuffers(network: network, capacity: capacity)
    let ws = buffers.workspace
    var first = 0
    inputs.storage.withUnsafeBufferPointer { src in
      while first < n {
        let b = min(capacity, n - first)
        buffers.inputs.withUnsafeMutableBufferPointer { x in
          for j in 0..<b {
            for f in 0..<width { x[f * b + j] = src[(first + j) * width + f] }
          }
          network.forward(x.baseAddress!, batch: b, workspace: ws)
        }
        var loss: Double?
        if let targets {
          loss = buffers.targets.withUnsafeMutableBufferPointer { y in
            for j in 0..<b {
              for k in 0..<outputs { y[k * b + j] = targets.storage[(first + j) * outputs + k] }
            }
            return network.lossValue(targets: y.baseAddress!, batch: b, workspace: ws)
          }
        }
        body(ws.activation(layer: network.layers.count - 1, batch: b).baseAddress!, b, first, loss)
        first += b
      }
    }
  }

  /// Mean loss, and accuracy or RMSE (in the target's units), on `examples`.
  public func evaluate(_ examples: EncodedExamples) -> Evaluation {
    var lossSum = 0.0, correct = 0, squaredError = 0.0
    forEachChunk(of: examples.inputs, targets: examples.targets) { out, b, first, loss in
      lossSum += (loss ?? 0) * Double(b)
      if let labels = examples.labels {
        for j in 0..<b where encoding.predictedClass(out + j, stride: b) == labels[first + j] { correct += 1 }
      } else if let values = examples.values {
        for k in 0..<network.outputWidth {
          for j in 0..<b {
            let d = Double(encoding.decodedValue(out[k * b + j], index: k)) - Double(values[first + j, k])
            squaredError += d * d
          }
        }
      }
    }
    let n = Double(max(examples.count, 1))
    return Evaluation(
      loss: lossSum / n,
      accuracy: examples.labels == nil ? nil : Double(correct) / n,
      rmse: examples.values == nil ? nil : (squaredError / (n * Double(network.outputWidth))).squareRoot(),
      count: examples.count)
  }
}

/// Loss and metric of the network on a set of examples.
public struct Evaluation: Sendable, Equatable {
  public var loss: Double
  public var accuracy: Double?
  public var rmse: Double?
  public var count: Int
}
