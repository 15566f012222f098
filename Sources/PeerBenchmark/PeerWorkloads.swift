import Foundation
import NeuralNet
import Training

/// The peer benchmark's workloads (`shared/bench/peers.py`), run on nntop's
/// engine: fp32, plain SGD with η = 0.01, 4,096 seeded standard-normal
/// samples with random labels split into contiguous mini-batches that are
/// cycled. One step is forward + backward + update, as for the peers.
public struct BenchmarkWorkload: Sendable, Equatable {
  public var name: String
  public var sizes: [Int]
  public var hidden: Activation
  /// `sigmoid` (+ BCE) or `softmax` (+ cross-entropy).
  public var output: Activation
  public var batch: Int

  public static let all: [BenchmarkWorkload] = [
    BenchmarkWorkload(name: "tiny", sizes: [2, 2, 1], hidden: .sigmoid, output: .sigmoid, batch: 1),
    BenchmarkWorkload(name: "spirals", sizes: [2, 64, 64, 3], hidden: .tanh, output: .softmax, batch: 32),
    BenchmarkWorkload(name: "digits", sizes: [64, 128, 10], hidden: .relu, output: .softmax, batch: 64),
    BenchmarkWorkload(name: "mnist", sizes: [784, 256, 128, 10], hidden: .relu, output: .softmax, batch: 128),
    BenchmarkWorkload(name: "deep", sizes: [32] + Array(repeating: 64, count: 8) + [1], hidden: .sigmoid, output: .sigmoid, batch: 32),
  ]

  public static func named(_ name: String) -> BenchmarkWorkload? { all.first { $0.name == name } }

  public var parameterCount: Int { (1..<sizes.count).reduce(0) { $0 + sizes[$1 - 1] * sizes[$1] + sizes[$1] } }
  /// The usual estimate, 6 × parameters (peers.py's `flops_per_sample`).
  public var flopsPerSample: Int { 6 * parameterCount }
  /// The matmuls a step really does: forward and dW for every layer, dX for all but the first.
  public var matmulFlopsPerSample: Int {
    let w = (1..<sizes.count).map { sizes[$0 - 1] * sizes[$0] }
    return 4 * w.reduce(0, +) + 2 * w.dropFirst().reduce(0, +)
  }
  public var samples: Int { 4096 }
  public var learningRate: Float { 0.01 }
}

/// One workload set up to run: the network, the pre-split batches, the buffers.
public final class BenchmarkRun {
  public let workload: BenchmarkWorkload
  public private(set) var network: Network
  private var optimizer: Optimizer
  private let workspace: Workspace
  private let pool: WorkerPool?
  /// Per batch: inputs `(features, batch)` and targets `(outputs, batch)`.
  private let inputs: [[Float]]
  private let targets: [[Float]]
  private var next = 0

  /// - Parameter threads: threads for the large matrix products.
  public init(_ workload: BenchmarkWorkload, seed: UInt64 = 1234, threads: Int = 1) throws {
    self.workload = workload
    var rng = SeededGenerator(seed: seed)
    let classes = workload.output == .sigmoid ? 2 : workload.sizes.last!
    let b = workload.batch, inWidth = workload.sizes[0], outWidth = workload.sizes.last!
    var xs: [[Float]] = [], ys: [[Float]] = []
    for _ in 0..<(workload.samples / b) {
      var x = [Float](repeating: 0, count: inWidth * b)
      var y = [Float](repeating: 0, count: outWidth * b)
      for j in 0..<b {
        for f in 0..<inWidth { x[f * b + j] = rng.normal() }
        let label = Int(rng.next() % UInt64(classes))
        if workload.output == .sigmoid { y[j] = Float(label) } else { y[label * b + j] = 1 }
      }
      xs.append(x)
      ys.append(y)
    }
    inputs = xs
    targets = ys
    network = try Network(
      sizes: workload.sizes, hidden: workload.hidden, output: workload.output,
      loss: workload.output == .sigmoid ? .bce : .crossEntropy, initializer: .uniform, using: &rng)
    optimizer = Optimizer(kind: .sgd, learningRate: workload.learningRate)
    pool = threads > 1 ? WorkerPool(threads: threads) : nil
    workspace = Workspace(network: network, capacity: b, runner: pool)
  }

  deinit { pool?.shutdown() }

  /// Whether a step runs the layers' updates beside the chain of dX (see
  /// `Workspace.overlapsBackward`).
  public var overlapsBackward: Bool { workspace.overlapsBackward(batch: workload.batch) }

  /// Whether a step's forward pass takes the hidden layers in two blocks of
  /// examples, one a thread (see `Workspace.splitsForward`).
  public var splitsForward: Bool { workspace.splitsForward(batch: workload.batch) }

  /// One training step on the next batch.
  @inline(__always)
  public func step() {
    let i = next
    next = next + 1 == inputs.count ? 0 : next + 1
    let b = workload.batch
    inputs[i].withUnsafeBufferPointer { x in
      targets[i].withUnsafeBufferPointer { y in
        network.trainingStep(input: x.baseAddress!, targets: y.baseAddress!, batch: b, optimizer: &optimizer, workspace: workspace)
      }
    }
  }

  /// Timing as peers.py does it: a warm-up (≥ `warmup` seconds and 5 steps),
  /// then chunks of steps (doubling until a chunk lasts 20 ms) until
  /// `seconds` have passed.
  public func measure(seconds: Double, warmup: Double) -> BenchmarkResult {
    let clock = ContinuousClock()
    var t0 = clock.now
    var n = 0
    while n < 5 || (clock.now - t0).seconds < warmup {
      step()
      n += 1
    }
    var chunk = 1, steps = 0
    var rates: [Double] = []
    let cpu0 = processCPUTime()
    t0 = clock.now
    var elapsed = 0.0
    while true {
      let tc = clock.now
      for _ in 0..<chunk { step() }
      steps += chunk
      let now = clock.now
      elapsed = (now - t0).seconds
      let dt = (now - tc).seconds
      if dt >= 0.02 { rates.append(Double(chunk) / dt) }
      if elapsed >= seconds { break }
      if dt < 0.02 { chunk *= 2 }
    }
    let cpu = processCPUTime() - cpu0
    rates.sort()
    let b = Double(workload.batch)
    return BenchmarkResult(
      workload: workload, steps: steps, seconds: elapsed, cpuSeconds: cpu,
      medianWindow: rates.isEmpty ? nil : b * rates[rates.count / 2], bestWindow: rates.last.map { b * $0 },
      finite: network.layers.allSatisfy { $0.weights.storage.allSatisfy(\.isFinite) })
  }
}

/// What one timed run measured.
public struct BenchmarkResult: Sendable {
  public var workload: BenchmarkWorkload
  public var steps: Int
  public var seconds: Double
  public var cpuSeconds: Double
  public var medianWindow: Double?
  public var bestWindow: Double?
  /// Whether the weights stayed finite (a sanity check, as peers.py makes).
  public var finite: Bool

  public var samplesPerSecond: Double { Double(workload.batch * steps) / seconds }
  public var gflops: Double { samplesPerSecond * Double(workload.flopsPerSample) / 1e9 }
  public var matmulGflops: Double { samplesPerSecond * Double(workload.matmulFlopsPerSample) / 1e9 }
}

/// CPU seconds used by this process (all threads).
public func processCPUTime() -> Double {
  var t = timespec()
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
  return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}
