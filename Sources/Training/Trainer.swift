import NeuralNet
import Datasets
import Diagnosis
import RunEvents

/// The training loop: mini-batch SGD (or momentum, Adam) over shuffled
/// epochs, evaluation on the validation split after each epoch, per-layer
/// statistics on the steps asked for. Owned by one thread; nothing in it is
/// shared.
public final class Trainer {
  public private(set) var network: Network
  public private(set) var optimizer: Optimizer
  public let data: PreparedData
  public let spec: NetworkSpec
  public private(set) var config: TrainingConfig
  /// Mini-batch steps completed.
  public private(set) var step = 0
  /// Epochs completed.
  public private(set) var epoch = 0
  /// Seconds spent in training steps.
  public private(set) var trainingTime = 0.0
  /// The statistics of the last instrumented step.
  public private(set) var latestStatistics: [LayerStatistics] = []
  /// The verdicts on `latestStatistics`.
  public private(set) var latestHealth: [LayerHealth] = []
  /// Judges layers from their statistics (keeps the run's peak gradients).
  public private(set) var monitor: HealthMonitor
  /// Besides the steps asked for and each epoch's last, statistics are taken
  /// every this many steps (so dead units and verdicts show within an epoch).
  public static let statisticsInterval = 16
  /// The last batch's accuracy (classification) or RMSE (regression).
  public private(set) var lastBatchMetric: Double = 0

  /// Draws re-initialised weights (`r`).
  private var rng: SeededGenerator
  /// This epoch's order of the training examples: a function of the seed and
  /// the epoch alone, so a run resumed from a checkpoint sees the batches the
  /// uninterrupted run would have.
  private var order: [Int]
  private var cursor = 0
  private let workspace: Workspace
  /// Kept for the validation pass of every epoch.
  private var evaluationBuffers: EvaluationBuffers?
  private let batchRows: UnsafeMutablePointer<Float>  // (batch, features), gathered
  private let batchInputs: UnsafeMutablePointer<Float>  // (features, batch)
  private let batchTargets: UnsafeMutablePointer<Float>  // (outputs, batch)
  private var batchIndices: [Int]
  private var updateNorms: [Double]
  private var statistics: LayerStatisticsCollector
  // The current epoch so far.
  private var epochLoss = 0.0
  private var epochCorrect = 0
  private var epochSquaredError = 0.0
  private var epochSeen = 0
  private var epochTime = 0.0
  private var epochSamples: [[LayerStatistics]] = []

  /// - Parameter runner: threads for the large matrix products (nil: one).
  public init(network: Network, spec: NetworkSpec, data: PreparedData, config: TrainingConfig, runner: ParallelRunner? = nil) {
    precondition(network.inputWidth == data.train.inputs.cols && network.outputWidth == data.encoding.outputWidth, "network does not fit the data")
    precondition(config.batchSize > 0)
    self.network = network
    self.spec = spec
    self.data = data
    self.config = config
    optimizer = Optimizer(kind: config.optimizer, learningRate: config.learningRate)
    optimizer.momentum = config.momentum
    rng = SeededGenerator(seed: config.seed ^ 0x7EA1_0000)
    order = Array(0..<data.train.count)
    let capacity = min(config.batchSize, data.train.count)
    workspace = Workspace(network: network, capacity: capacity, runner: runner)
    batchRows = .allocate(capacity: max(network.inputWidth, network.outputWidth) * capacity)
    batchInputs = .allocate(capacity: network.inputWidth * capacity)
    batchTargets = .allocate(capacity: network.outputWidth * capacity)
    batchIndices = Array(repeating: 0, count: capacity)
    updateNorms = Array(repeating: 0, count: network.layers.count)
    statistics = LayerStatisticsCollector(network: network)
    monitor = HealthMonitor(thresholds: config.thresholds, activations: network.layers.map(\.activation))
    Self.shuffle(&order, seed: config.seed, epoch: 0)
  }

  /// Puts `order` in epoch `epoch`'s order (epochs count from 0), in place.
  static func shuffle(_ order: inout [Int], seed: UInt64, epoch: Int) {
    for i in order.indices { order[i] = i }
    var generator = SeededGenerator(seed: seed ^ 0x5EED_0F0D_E4 &+ UInt64(epoch) &* 0x9E37_79B9_7F4A_7C15)
    generator.shuffle(&order)
  }

  deinit {
    batchRows.deallocate()
    batchInputs.deallocate()
    batchTargets.deallocate()
  }

  public var learningRate: Float {
    get { optimizer.learningRate }
    set { optimizer.learningRate = newValue }
  }

  /// Steps in one epoch (the last batch may be short).
  public var stepsPerEpoch: Int { (data.train.count + workspace.capacity - 1) / workspace.capacity }

  /// Where the current epoch is, from 0 to 1.
  public var epochProgress: Double { Double(cursor) / Double(max(data.train.count, 1)) }

  /// One mini-batch: forward, loss, backward, update. With `instrument`,
  /// per-layer statistics are taken (into `latestStatistics`). Returns the
  /// batch loss, and the epoch's record when this step ended an epoch.
  @discardableResult
  public func trainStep(instrument: Bool = false) -> (loss: Double, epoch: EpochRecord?) {
    let started = ContinuousClock.now
    let stoppedBefore = ProcessStops.shared.stoppedSeconds
    let b = min(workspace.capacity, data.train.count - cursor)
    for j in 0..<b { batchIndices[j] = order[cursor + j] }
    gather(batch: b)
    network.forward(batchInputs, batch: b, workspace: workspace)
    let loss = network.lossValue(targets: batchTargets, batch: b, workspace: workspace)
    accumulateMetrics(batch: b, loss: loss)
    if instrument || cursor + b >= data.train.count || step % Self.statisticsInterval == 0 {
      // Statistics need ∂J/∂W written out: backward, look, then update.
      network.backward(input: batchInputs, targets: batchTargets, batch: b, l2: config.l2, workspace: workspace)
      statistics.beforeUpdate(network: network, workspace: workspace, batch: b)
      updateNorms.withUnsafeMutableBufferPointer { optimizer.step(&network, gradients: workspace, updateNorms: $0) }
      latestStatistics = statistics.afterUpdate(network: network, updateNorms: updateNorms)
      monitor.observe(latestStatistics)
      latestHealth = monitor.judge(latestStatistics)
      epochSamples.append(latestStatistics)
    } else {
      network.backwardAndUpdate(input: batchInputs, targets: batchTargets, batch: b, optimizer: &optimizer, l2: config.l2, workspace: workspace)
    }
    step += 1
    cursor += b
    // A Ctrl-Z stop during the step is not training time.
    let elapsed = max((ContinuousClock.now - started).seconds - (ProcessStops.shared.stoppedSeconds - stoppedBefore), 0)
    trainingTime += elapsed
    epochTime += elapsed
    if cursor >= data.train.count { return (loss, finishEpoch()) }
    return (loss, nil)
  }

  /// Seconds the session held training back to keep its pace: training
  /// time all the same (the run is running, only slower), so the clock and
  /// the throughput say what a person sees.
  public func paced(seconds: Double) {
    guard seconds > 0 else { return }
    trainingTime += seconds
    epochTime += seconds
  }

  /// Forgets the last measured statistics and verdicts (the weights they
  /// described were replaced): the panel waits for the next step's.
  public func clearStatistics() {
    latestStatistics = []
    latestHealth = []
  }

  /// After a NaN or infinity, verdicts that say where: NaN on the layers
  /// whose weights are not finite, or, when they all are, on the output layer
  /// (its loss is not: the outputs saturated).
  public func judgeDivergence(loss: Double) {
    let count = network.layers.count
    var health = latestHealth.count == count ? latestHealth : Array(repeating: LayerHealth(status: .ok), count: count)
    let hint = LayerHealth.divergedHint
    let broken = network.layers.indices.filter { l in
      !network.layers[l].weights.storage.allSatisfy(\.isFinite) || !network.layers[l].bias.allSatisfy(\.isFinite)
    }
    for l in broken { health[l] = LayerHealth(status: .nan, reason: "layer \(l + 1)'s weights are NaN or infinite", hint: hint) }
    if broken.isEmpty, !loss.isFinite, count > 0 {
      health[count - 1] = LayerHealth(status: .nan, reason: "the loss became \(loss.isNaN ? "NaN" : "infinite"): the outputs saturated", hint: hint)
    }
    latestHealth = health
  }

  /// Layer `l`'s ∂J/∂W from the last instrumented step, `(out, in)` row-major,
  /// valid until the next step.
  public func weightGradient(layer l: Int) -> UnsafeBufferPointer<Float> {
    workspace.weightGradient(layer: l)
  }

  /// Runs the rest of the current epoch and returns its record.
  @discardableResult
  public func trainEpoch() -> EpochRecord {
    while true {
      if let record = trainStep().epoch { return record }
    }
  }

  /// Loss and accuracy (or RMSE) of the current network on `examples`.
  public func evaluate(_ examples: EncodedExamples) -> Evaluation {
    if evaluationBuffers == nil { evaluationBuffers = EvaluationBuffers(network: network) }
    return Evaluator(network: network, encoding: data.encoding, buffers: evaluationBuffers).evaluate(examples)
  }

  /// Fresh weights (and optimiser state) drawn from the run's generator.
  public func reinitialize() {
    network = (try? spec.make(using: &rng)) ?? network
    optimizer.reset()
    statistics = LayerStatisticsCollector(network: network)
    monitor = HealthMonitor(thresholds: config.thresholds, activations: network.layers.map(\.activation))
  }

  /// Replaces the network and optimiser (a loaded checkpoint) and the counters.
  public func restore(network: Network, optimizer: Optimizer, step: Int, epoch: Int, trainingTime: Double? = nil) {
    precondition(workspace.fits(network), "restored network has another shape")
    self.network = network
    self.optimizer = optimizer
    self.step = step
    self.epoch = epoch
    if let trainingTime { self.trainingTime = trainingTime }
    cursor = 0
    Self.shuffle(&order, seed: config.seed, epoch: epoch)
  }

  // MARK: - Internals

  /// Copies the examples of `batchIndices` into the column-per-example batch
  /// buffers: whole rows first (contiguous copies), then one blocked transpose.
  private func gather(batch b: Int) {
    for (source, width, destination) in [(data.train.inputs, network.inputWidth, batchInputs), (data.train.targets, network.outputWidth, batchTargets)] {
      source.storage.withUnsafeBufferPointer { rows in
        for j in 0..<b { (batchRows + j * width).update(from: rows.baseAddress! + batchIndices[j] * width, count: width) }
      }
      workspace.kernels.transpose(batchRows, ld: width, rows: b, cols: width, into: destination, ldd: b)
    }
  }

  private func accumulateMetrics(batch b: Int, loss: Double) {
    epochLoss += loss * Double(b)
    epochSeen += b
    let output = workspace.activation(layer: network.layers.count - 1, batch: b).baseAddress!
    if let labels = data.train.labels {
      var correct = 0
      for j in 0..<b where data.encoding.predictedClass(output + j, stride: b) == labels[batchIndices[j]] {
        correct += 1
      }
      epochCorrect += correct
      lastBatchMetric = Double(correct) / Double(b)
    } else if let values = data.train.values {
      var squared = 0.0
      for k in 0..<network.outputWidth {
        for j in 0..<b {
          let d = Double(data.encoding.decodedValue(output[k * b + j], index: k)) - Double(values[batchIndices[j], k])
          squared += d * d
        }
      }
      epochSquaredError += squared
      lastBatchMetric = (squared / Double(b * network.outputWidth)).squareRoot()
    }
  }

  private func finishEpoch() -> EpochRecord {
    epoch += 1
    cursor = 0
    Self.shuffle(&order, seed: config.seed, epoch: epoch)
    let validation = data.validation.map(evaluate)
    let layers = (0..<network.layers.count).compactMap { l in LayerStatistics.mean(epochSamples.map { $0[l] }) }
    let seen = Double(max(epochSeen, 1))
    let record = monitor.judge(EpochRecord(
      epoch: epoch, step: step, time: trainingTime, learningRate: optimizer.learningRate,
      loss: epochLoss / seen, validationLoss: validation?.loss,
      accuracy: data.train.labels == nil ? nil : Double(epochCorrect) / seen,
      validationAccuracy: validation?.accuracy,
      rmse: data.train.values == nil ? nil : (epochSquaredError / (seen * Double(network.outputWidth))).squareRoot(),
      validationRMSE: validation?.rmse,
      samplesPerSecond: epochTime > 0 ? seen / epochTime : 0,
      layers: layers, health: monitor.judge(layers)))
    epochLoss = 0
    epochCorrect = 0
    epochSquaredError = 0
    epochSeen = 0
    epochTime = 0
    epochSamples.removeAll(keepingCapacity: true)
    return record
  }
}

extension Duration {
  /// The duration in seconds.
  public var seconds: Double {
    let (s, attoseconds) = components
    return Double(s) + Double(attoseconds) * 1e-18
  }
}
