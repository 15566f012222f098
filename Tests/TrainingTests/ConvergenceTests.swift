import Datasets
import NeuralNet
import Testing
import RunEvents
import Training

/// Whole training runs on the built-in problems, seeded and small.
struct TrainerConvergenceTests {
  func trainer(_ data: String, hidden: [Int], activation: Activation, lr: Float, batch: Int = 32, split: Double = 0, seed: UInt64 = 1) throws -> Trainer {
    let dataset = try DataSource(spec: data).load(seed: seed)
    let output: Activation = dataset.targets.classNames.count == 2 ? .sigmoid : .softmax
    let prepared = try PreparedData(dataset, validationSplit: split, normalize: true, output: output, seed: seed)
    let spec = NetworkSpec(
      sizes: [dataset.featureCount] + hidden + [prepared.encoding.outputWidth], hidden: activation, output: output,
      loss: output == .sigmoid ? .bce : .crossEntropy)
    var rng = SeededGenerator(seed: seed)
    var config = TrainingConfig()
    config.learningRate = lr
    config.batchSize = batch
    return Trainer(network: try spec.make(using: &rng), spec: spec, data: prepared, config: config)
  }

  @Test func learnsSpiralsToNinetyFivePercent() throws {
    let t = try trainer("spirals", hidden: [32, 32], activation: .relu, lr: 0.2, batch: 16)
    var record = t.trainEpoch()
    while t.epoch < 150 && (record.accuracy ?? 0) < 0.97 { record = t.trainEpoch() }
    let final = t.evaluate(t.data.train)
    #expect((final.accuracy ?? 0) >= 0.95, "training accuracy \(final.accuracy ?? 0) after \(t.epoch) epochs")
  }

  @Test func learnsXOR() throws {
    let t = try trainer("xor", hidden: [8], activation: .tanh, lr: 0.3, split: 0.25)
    for _ in 0..<30 { t.trainEpoch() }
    #expect((t.evaluate(t.data.validation!).accuracy ?? 0) >= 0.99)
    #expect(t.evaluate(t.data.train).loss < 0.1)
  }

  @Test func epochRecordsCountStepsAndLayers() throws {
    let t = try trainer("moons", hidden: [8, 4], activation: .relu, lr: 0.1, batch: 64, split: 0.2)
    let r = t.trainEpoch()
    #expect(r.epoch == 1 && r.step == 7 && t.stepsPerEpoch == 7)  // 400 train examples / 64
    #expect(r.layers.count == 3 && r.health.count == 3)
    #expect(r.layers.allSatisfy { $0.gradientNorm > 0 && $0.weightNorm > 0 && $0.updateRatio > 0 })
    #expect(r.validationAccuracy != nil && r.rmse == nil && r.samplesPerSecond > 0)
    // The update ratio is ‖ΔW‖/‖W‖ = η‖∂J/∂W‖/‖W‖ for plain SGD, at the instrumented step.
    let s = t.latestStatistics[0]
    #expect(abs(s.updateRatio - 0.1 * s.gradientNorm / s.weightNorm) < 0.05 * s.updateRatio)
  }

  @Test func sameSeedSameRun() throws {
    let a = try trainer("gaussians", hidden: [8], activation: .tanh, lr: 0.1, split: 0.2)
    let b = try trainer("gaussians", hidden: [8], activation: .tanh, lr: 0.1, split: 0.2)
    for _ in 0..<3 {
      a.trainEpoch()
      b.trainEpoch()
    }
    #expect(a.network == b.network)
  }
}
