import Dashboard
import Datasets
import Foundation
import NeuralNet
import RunEvents
import Training

/// How long one dashboard frame takes to render into a buffer: a real
/// snapshot (digits, or spirals with its decision boundary, after a few
/// epochs of training) drawn again and again at a given size.
enum RenderBenchmark {
  struct Result {
    var data: String
    var width: Int
    var height: Int
    var frames: Int
    var medianMilliseconds: Double
    var worstMilliseconds: Double
  }

  static func measure(data: String, width: Int, height: Int, frames: Int = 300) throws -> Result {
    let dataset = try DataSource(spec: data).load(seed: 1)
    let output: Activation = dataset.targets.classNames.count == 2 ? .sigmoid : .softmax
    let prepared = try PreparedData(dataset, validationSplit: 0.2, normalize: true, output: output, seed: 1)
    let spec = NetworkSpec(
      sizes: [dataset.featureCount, 64, 32, prepared.encoding.outputWidth], hidden: .relu, output: output,
      loss: output == .sigmoid ? .bce : .crossEntropy)
    var rng = SeededGenerator(seed: 1)
    let trainer = Trainer(network: try spec.make(using: &rng), spec: spec, data: prepared, config: TrainingConfig())
    var options = SessionOptions()
    options.epochs = 40
    options.publishInterval = 0
    let channel = SnapshotChannel()
    let session = TrainingSession(
      trainer: trainer, info: RunInfo(trainer: trainer, epochs: 40), control: TrainingControl(), channel: channel,
      log: nil, options: options)
    session.run()
    guard let snapshot = channel.latest().snapshot else { throw RunFailure(message: "no snapshot to render") }
    var state = DashboardState(width: width, height: height, themes: BuiltinThemes.all, savePath: "x")
    _ = state.update(.snapshot(snapshot))
    var times: [Double] = []
    let clock = ContinuousClock()
    var checksum = 0
    for _ in 0..<frames {
      let t = clock.now
      let buffer = DashboardScreen.render(state)
      times.append((clock.now - t).seconds * 1000)
      checksum &+= buffer.cells.count
    }
    precondition(checksum == frames * width * height)
    times.sort()
    return Result(data: data, width: width, height: height, frames: frames, medianMilliseconds: times[times.count / 2], worstMilliseconds: times.last!)
  }
}
