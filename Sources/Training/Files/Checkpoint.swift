import Interop
import RunEvents
import Datasets
import Foundation
import NeuralNet

/// A saved model: the network, what its inputs and outputs mean
/// (standardisation, encoding, feature names), and where training stood
/// (optimiser state, step, epoch, η) so a run can resume.
///
/// Tensors: `layers.L.weight` `(out, in)`, `layers.L.bias` `(out)`,
/// `normalizer.mean`/`normalizer.scale` `(features)`, and for momentum/Adam
/// `optimizer.m.layers.L.weight` etc. Metadata (JSON strings):
/// `architecture`, `encoding`, `features`, `target`, `image_shape`, `training`.
public struct Checkpoint: Sendable {
  public static let format = "nntop/1"

  public var network: Network
  public var standardizer: Standardizer
  public var encoding: TargetEncoding
  public var featureNames: [String]
  /// The CSV column the model predicts, when it was trained on one.
  public var targetName: String?
  public var imageShape: ImageShape?
  public var optimizer: Optimizer
  public var step: Int
  public var epoch: Int
  /// Seconds of training so far (the run log's clock continues from it).
  public var trainingTime: Double = 0
  public var dataName: String
  public var seed: UInt64
  public var batchSize: Int
  /// L2 weight decay λ.
  public var l2: Float = 0
  /// The fraction held out for validation (nil in checkpoints from before it was saved).
  public var validationSplit: Double?

  public init(
    network: Network, standardizer: Standardizer, encoding: TargetEncoding, featureNames: [String], imageShape: ImageShape?,
    optimizer: Optimizer, step: Int, epoch: Int, dataName: String, seed: UInt64, batchSize: Int
  ) {
    self.network = network
    self.standardizer = standardizer
    self.encoding = encoding
    self.featureNames = featureNames
    self.imageShape = imageShape
    self.optimizer = optimizer
    self.step = step
    self.epoch = epoch
    self.dataName = dataName
    self.seed = seed
    self.batchSize = batchSize
  }

  // MARK: - Writing

  public var safetensors: Safetensors {
    var file = Safetensors()
    for (l, layer) in network.layers.enumerated() {
      file.tensors["layers.\(l).weight"] = .init(shape: [layer.outputs, layer.inputs], values: layer.weights.storage)
      file.tensors["layers.\(l).bias"] = .init(shape: [layer.outputs], values: layer.bias)
    }
    file.tensors["normalizer.mean"] = .init(shape: [standardizer.width], values: standardizer.mean)
    file.tensors["normalizer.scale"] = .init(shape: [standardizer.width], values: standardizer.scale)
    for (moment, states) in [("m", optimizer.firstMoments), ("v", optimizer.secondMoments)] {
      for (slot, values) in states.enumerated() {
        let layer = network.layers[slot / 2]
        let shape = slot % 2 == 0 ? [layer.outputs, layer.inputs] : [layer.outputs]
        file.tensors[CheckpointMetadata.momentName(moment, slot: slot)] = .init(shape: shape, values: values)
      }
    }
    file.metadata["format"] = Self.format
    file.metadata["architecture"] = CheckpointMetadata.encode(
      CheckpointMetadata.Architecture(
        sizes: [network.inputWidth] + network.layers.map(\.outputs), activations: network.layers.map(\.activation.rawValue),
        loss: network.loss.rawValue))
    file.metadata["encoding"] = CheckpointMetadata.encode(encodingMetadata)
    file.metadata["features"] = CheckpointMetadata.encode(featureNames)
    if let targetName { file.metadata["target"] = targetName }
    if let imageShape { file.metadata["image_shape"] = CheckpointMetadata.encode([imageShape.rows, imageShape.cols]) }
    file.metadata["training"] = CheckpointMetadata.encode(
      CheckpointMetadata.TrainingState(
        step: step, epoch: epoch, trainingTime: trainingTime, lr: optimizer.learningRate, optimizer: optimizer.kind.rawValue,
        optimizerSteps: optimizer.steps, momentum: optimizer.momentum, batch: batchSize, seed: String(seed), data: dataName, l2: l2,
        valSplit: validationSplit))
    return file
  }

  private var encodingMetadata: CheckpointMetadata.Encoding {
    switch encoding {
    case .binary(let classes): CheckpointMetadata.Encoding(kind: "binary", classes: classes)
    case .oneHot(let classes): CheckpointMetadata.Encoding(kind: "one-hot", classes: classes)
    case .regression(let names, let mean, let scale): CheckpointMetadata.Encoding(kind: "regression", names: names, mean: mean, scale: scale)
    }
  }

  /// Writes the checkpoint atomically. A file there that is not an nntop
  /// checkpoint is not replaced unless `force` (the user's `--force`).
  public func write(to path: String, force: Bool = false) throws(OutputError) {
    if !force, let refusal = OutputKind.checkpoint.refusalToReplace(path) { throw refusal }
    try safetensors.write(to: path)
  }

  // MARK: - Reading

  public static func read(from path: String) throws(CheckpointError) -> Checkpoint {
    try Checkpoint(Safetensors.read(from: path), file: path)
  }

  public init(_ file: Safetensors, file path: String) throws(CheckpointError) {
    func fail(_ message: String) -> CheckpointError { CheckpointError("\(path): \(message)") }
    func entry<T: Decodable>(_ key: String, as type: T.Type) throws(CheckpointError) -> T {
      guard let text = file.metadata[key] else { throw fail("not an nntop checkpoint (no \"\(key)\" metadata)") }
      guard let value = CheckpointMetadata.decode(type, from: text) else { throw fail("\(key) metadata is malformed") }
      return value
    }
    func tensor(_ name: String, shape: [Int]) throws(CheckpointError) -> [Float] {
      guard let t = file.tensors[name] else { throw fail("tensor \"\(name)\" is missing") }
      guard t.shape == shape else { throw fail("tensor \"\(name)\" has shape \(t.shape), expected \(shape)") }
      return t.values
    }
    let architecture = try entry("architecture", as: CheckpointMetadata.Architecture.self)
    let sizes = architecture.sizes
    let activations = architecture.activations.compactMap(Activation.init(rawValue:))
    guard sizes.count >= 2, sizes.allSatisfy({ $0 > 0 }), activations.count == sizes.count - 1, let loss = Loss(rawValue: architecture.loss) else {
      throw fail("architecture metadata is malformed")
    }
    var layers: [DenseLayer] = []
    for l in 0..<(sizes.count - 1) {
      let w = try tensor("layers.\(l).weight", shape: [sizes[l + 1], sizes[l]])
      let b = try tensor("layers.\(l).bias", shape: [sizes[l + 1]])
      layers.append(DenseLayer(weights: Matrix(rows: sizes[l + 1], cols: sizes[l], storage: w), bias: b, activation: activations[l]))
    }
    do { network = try Network(layers: layers, loss: loss) } catch { throw fail("architecture is invalid: \(error)") }
    let width = sizes[0]
    standardizer = Standardizer(mean: try tensor("normalizer.mean", shape: [width]), scale: try tensor("normalizer.scale", shape: [width]))
    let enc = try entry("encoding", as: CheckpointMetadata.Encoding.self)
    switch enc.kind {
    case "binary": encoding = .binary(classes: enc.classes ?? [])
    case "one-hot": encoding = .oneHot(classes: enc.classes ?? [])
    case "regression": encoding = .regression(names: enc.names ?? [], mean: enc.mean ?? [], scale: enc.scale ?? [])
    default: throw fail("encoding metadata is malformed")
    }
    guard encoding.outputWidth == sizes.last! else {
      throw fail("encoding gives \(encoding.outputWidth) outputs, the network has \(sizes.last!)")
    }
    if case .regression(let names, let mean, let scale) = encoding, mean.count != names.count || scale.count != names.count {
      throw fail("regression encoding metadata is malformed")
    }
    featureNames = (try? entry("features", as: [String].self)) ?? (1...width).map { "x\($0)" }
    guard featureNames.count == width else { throw fail("\(featureNames.count) feature names for \(width) inputs") }
    targetName = file.metadata["target"]
    if let shape = try? entry("image_shape", as: [Int].self), shape.count == 2, shape[0] > 0, shape[1] > 0,
      shape[0].multipliedReportingOverflow(by: shape[1]) == (width, false)
    {
      imageShape = ImageShape(rows: shape[0], cols: shape[1])
    }
    let training = (try? entry("training", as: CheckpointMetadata.TrainingState.self)) ?? CheckpointMetadata.TrainingState()
    step = training.step ?? 0
    epoch = training.epoch ?? 0
    trainingTime = training.trainingTime ?? 0
    dataName = training.data ?? ""
    seed = training.seed.flatMap { UInt64($0) } ?? 1
    batchSize = training.batch ?? 32
    l2 = training.l2 ?? 0
    validationSplit = training.valSplit
    let kind = training.optimizer.flatMap(OptimizerKind.init(rawValue:)) ?? .sgd
    optimizer = Optimizer(kind: kind, learningRate: training.lr ?? 0.1)
    optimizer.momentum = training.momentum ?? 0.9
    var first: [[Float]] = [], second: [[Float]] = []
    for (l, layer) in network.layers.enumerated() {
      for (part, shape) in [(0, [layer.outputs, layer.inputs]), (1, [layer.outputs])] {
        if let m = file.tensors[CheckpointMetadata.momentName("m", slot: 2 * l + part)] {
          guard m.shape == shape else { throw fail("optimizer state for layer \(l) has the wrong shape") }
          first.append(m.values)
        }
        if let v = file.tensors[CheckpointMetadata.momentName("v", slot: 2 * l + part)] {
          guard v.shape == shape else { throw fail("optimizer state for layer \(l) has the wrong shape") }
          second.append(v.values)
        }
      }
    }
    let expected = 2 * network.layers.count
    if kind != .sgd && first.count == expected && (kind != .adam || second.count == expected) {
      optimizer.restore(steps: training.optimizerSteps ?? 0, firstMoments: first, secondMoments: second)
    }
  }
}

extension Checkpoint {
  /// The trainer's current state.
  public init(trainer: Trainer) {
    self.init(
      network: trainer.network, standardizer: trainer.data.standardizer, encoding: trainer.data.encoding,
      featureNames: trainer.data.featureNames, imageShape: trainer.data.imageShape, optimizer: trainer.optimizer,
      step: trainer.step, epoch: trainer.epoch, dataName: trainer.data.name, seed: trainer.config.seed,
      batchSize: trainer.config.batchSize)
    trainingTime = trainer.trainingTime
    l2 = trainer.config.l2
    validationSplit = trainer.data.validationSplit
    targetName = trainer.data.targetName
  }
}
