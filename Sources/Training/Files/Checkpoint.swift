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
        file.tensors["optimizer.\(moment).layers.\(slot / 2).\(slot % 2 == 0 ? "weight" : "bias")"] = .init(shape: shape, values: values)
      }
    }
    file.metadata["format"] = Self.format
    file.metadata["architecture"] = JSON.object([
      ("sizes", .array(([network.inputWidth] + network.layers.map(\.outputs)).map { .number(Double($0)) })),
      ("activations", .array(network.layers.map { .string($0.activation.rawValue) })),
      ("loss", .string(network.loss.rawValue)),
    ]).serialized
    file.metadata["encoding"] = encodingJSON.serialized
    file.metadata["features"] = JSON.array(featureNames.map { .string($0) }).serialized
    if let targetName { file.metadata["target"] = targetName }
    if let imageShape {
      file.metadata["image_shape"] = JSON.array([.number(Double(imageShape.rows)), .number(Double(imageShape.cols))]).serialized
    }
    file.metadata["training"] = JSON.object([
      ("step", .number(Double(step))),
      ("epoch", .number(Double(epoch))),
      ("training_time", .finite(trainingTime)),
      ("lr", .finite(optimizer.learningRate)),
      ("optimizer", .string(optimizer.kind.rawValue)),
      ("optimizer_steps", .number(Double(optimizer.steps))),
      ("momentum", .finite(optimizer.momentum)),
      ("batch", .number(Double(batchSize))),
      ("seed", .string(String(seed))),
      ("data", .string(dataName)),
      ("l2", .finite(l2)),
      ("val_split", .finite(validationSplit)),
    ]).serialized
    return file
  }

  private var encodingJSON: JSON {
    switch encoding {
    case .binary(let classes): .object([("kind", .string("binary")), ("classes", .array(classes.map { .string($0) }))])
    case .oneHot(let classes): .object([("kind", .string("one-hot")), ("classes", .array(classes.map { .string($0) }))])
    case .regression(let names, let mean, let scale):
      .object([
        ("kind", .string("regression")), ("names", .array(names.map { .string($0) })),
        ("mean", .array(mean.map { .finite($0) })), ("scale", .array(scale.map { .finite($0) })),
      ])
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
    func json(_ key: String) throws(CheckpointError) -> JSON {
      guard let text = file.metadata[key] else { throw fail("not an nntop checkpoint (no \"\(key)\" metadata)") }
      do { return try JSON(parsing: text) } catch { throw fail("metadata \"\(key)\" is not valid JSON") }
    }
    func tensor(_ name: String, shape: [Int]) throws(CheckpointError) -> [Float] {
      guard let t = file.tensors[name] else { throw fail("tensor \"\(name)\" is missing") }
      guard t.shape == shape else { throw fail("tensor \"\(name)\" has shape \(t.shape), expected \(shape)") }
      return t.values
    }
    let architecture = try json("architecture")
    guard let sizes = architecture["sizes"]?.arrayValue?.compactMap(\.intValue), sizes.count >= 2,
      let activations = architecture["activations"]?.arrayValue?.compactMap({ $0.stringValue.flatMap(Activation.init(rawValue:)) }),
      activations.count == sizes.count - 1,
      let loss = architecture["loss"]?.stringValue.flatMap(Loss.init(rawValue:))
    else { throw fail("architecture metadata is malformed") }
    var layers: [DenseLayer] = []
    for l in 0..<(sizes.count - 1) {
      let w = try tensor("layers.\(l).weight", shape: [sizes[l + 1], sizes[l]])
      let b = try tensor("layers.\(l).bias", shape: [sizes[l + 1]])
      layers.append(DenseLayer(weights: Matrix(rows: sizes[l + 1], cols: sizes[l], storage: w), bias: b, activation: activations[l]))
    }
    do { network = try Network(layers: layers, loss: loss) } catch { throw fail("architecture is invalid: \(error)") }
    let width = sizes[0]
    standardizer = Standardizer(mean: try tensor("normalizer.mean", shape: [width]), scale: try tensor("normalizer.scale", shape: [width]))
    let enc = try json("encoding")
    func strings(_ key: String) -> [String]? { enc[key]?.arrayValue?.compactMap(\.stringValue) }
    switch enc["kind"]?.stringValue {
    case "binary": encoding = .binary(classes: strings("classes") ?? [])
    case "one-hot": encoding = .oneHot(classes: strings("classes") ?? [])
    case "regression":
      let names = strings("names") ?? []
      encoding = .regression(
        names: names, mean: enc["mean"]?.arrayValue?.compactMap { $0.doubleValue.map(Float.init) } ?? [],
        scale: enc["scale"]?.arrayValue?.compactMap { $0.doubleValue.map(Float.init) } ?? [])
    default: throw fail("encoding metadata is malformed")
    }
    guard encoding.outputWidth == sizes.last! else {
      throw fail("encoding gives \(encoding.outputWidth) outputs, the network has \(sizes.last!)")
    }
    if case .regression(let names, let mean, let scale) = encoding, mean.count != names.count || scale.count != names.count {
      throw fail("regression encoding metadata is malformed")
    }
    featureNames = (try? json("features"))?.arrayValue?.compactMap(\.stringValue) ?? (1...width).map { "x\($0)" }
    guard featureNames.count == width else { throw fail("\(featureNames.count) feature names for \(width) inputs") }
    targetName = file.metadata["target"]
    if let shape = (try? json("image_shape"))?.arrayValue?.compactMap(\.intValue), shape.count == 2, shape[0] * shape[1] == width {
      imageShape = ImageShape(rows: shape[0], cols: shape[1])
    }
    let training = (try? json("training")) ?? .object([])
    step = training["step"]?.intValue ?? 0
    epoch = training["epoch"]?.intValue ?? 0
    trainingTime = training["training_time"]?.doubleValue ?? 0
    dataName = training["data"]?.stringValue ?? ""
    seed = training["seed"]?.stringValue.flatMap { UInt64($0) } ?? 1
    batchSize = training["batch"]?.intValue ?? 32
    l2 = Float(training["l2"]?.doubleValue ?? 0)
    validationSplit = training["val_split"]?.doubleValue
    let kind = training["optimizer"]?.stringValue.flatMap(OptimizerKind.init(rawValue:)) ?? .sgd
    optimizer = Optimizer(kind: kind, learningRate: Float(training["lr"]?.doubleValue ?? 0.1))
    optimizer.momentum = Float(training["momentum"]?.doubleValue ?? 0.9)
    var first: [[Float]] = [], second: [[Float]] = []
    for (l, layer) in network.layers.enumerated() {
      for (part, shape) in [("weight", [layer.outputs, layer.inputs]), ("bias", [layer.outputs])] {
        if let m = file.tensors["optimizer.m.layers.\(l).\(part)"] {
          guard m.shape == shape else { throw fail("optimizer state for layer \(l) has the wrong shape") }
          first.append(m.values)
        }
        if let v = file.tensors["optimizer.v.layers.\(l).\(part)"] {
          guard v.shape == shape else { throw fail("optimizer state for layer \(l) has the wrong shape") }
          second.append(v.values)
        }
      }
    }
    let expected = 2 * network.layers.count
    if kind != .sgd && first.count == expected && (kind != .adam || second.count == expected) {
      optimizer.restore(steps: training["optimizer_steps"]?.intValue ?? 0, firstMoments: first, secondMoments: second)
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
