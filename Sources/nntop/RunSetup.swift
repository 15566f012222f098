import Datasets
import Foundation
import NeuralNet
import RunEvents
import Training
import NumberFormat

/// Everything a training run needs, resolved from the flags: the data,
/// prepared; the network; the hyperparameters. A flag given wins over the
/// data set's suggestion, which wins over nntop's defaults.
struct RunSetup {
  var source: DataSource
  var dataset: Dataset
  var prepared: PreparedData
  var spec: NetworkSpec
  var network: Network
  var config: TrainingConfig
  /// The checkpoint `--load` read, if any.
  var checkpoint: Checkpoint?
  var preset: Preset?
  var plateau: PlateauScheduler?
  var earlyStop: EarlyStopping?

  static let defaultHiddenLayers = [64, 32]

  init(_ o: TrainOptions, headless: Bool) throws {
    let preset = o.preset.flatMap(Preset.named)
    self.preset = preset
    // A resumed run keeps its seed, split and L2 unless told otherwise: the
    // same generated data, the same validation examples, the same objective.
    let saved = try o.load.map { path throws in try Checkpoint.read(from: path) }
    let seed = o.seed ?? saved?.seed ?? 1
    source = try DataSource(spec: o.data ?? preset?.data ?? "digits")
    if case .csv = source {} else if o.task != .inferred || o.missing != .error || o.decimal != .auto {
      throw DataError(.usage, "--task, --missing and --decimal apply to CSV files, not \(o.data ?? preset?.data ?? "digits")")
    }
    if let saved, let path = o.load, o.task != .inferred, o.task != ModelColumns.targetKind(of: saved) {
      throw RunFailure(message: "--task \(o.task.rawValue): \(path) was trained for \(ModelColumns.targetKind(of: saved).rawValue)", code: 64)
    }
    if let saved, let path = o.load, case .csv(let file) = source {
      // Resuming on a CSV file: the model's columns by name, its target by default.
      let read = try CSVLoader.load(path: file) { header throws(DataError) in
        let columns = try ModelColumns.selection(header: header, path: file, model: saved, modelPath: path, target: o.target, drop: o.dropColumns)
        guard columns.hasTarget else {
          throw DataError(.usage, file: file, "has no column \(saved.targetName.map { "\"\($0)\" " } ?? "")for \(path) to learn; name it with --target")
        }
        return columns.reading(missing: o.missing, decimal: o.decimal)
      }
      dataset = ModelColumns.ordered(read, for: saved)
    } else {
      let kind = saved.map(ModelColumns.targetKind(of:)) ?? o.task
      dataset = try source.load(seed: seed, columns: ColumnSelection(target: o.target, drop: o.dropColumns, targetKind: kind, missing: o.missing, decimal: o.decimal))
    }
    // A resumed model's task is its own, whatever the cells look like.
    if let path = o.load, dataset.targetReason != nil { dataset.targetReason = "as \(path) was trained" }
    if saved == nil, dataset.targets.isClassification, dataset.targets.classNames.count < 2 {
      throw DataError(
        .malformed, file: o.data, "target column \"\(dataset.targetName ?? "")\" has only one class (\(dataset.targets.classNames.first ?? "")): nothing to learn")
    }
    // The preset's settings come before the data set's suggestions.
    var suggested = dataset.suggestions
    if let preset {
      suggested.hiddenLayers = preset.hiddenLayers
      suggested.activation = preset.activation
      suggested.learningRate = preset.learningRate
      suggested.batch = preset.batch
      suggested.network = nil
    }
    var config = TrainingConfig()
    config.seed = seed
    config.optimizer = o.optimizer ?? .sgd
    config.learningRate = o.lr?.floatValue ?? suggested.learningRate ?? Self.defaultLearningRate(config.optimizer)
    config.momentum = o.momentum?.floatValue ?? 0.9
    config.batchSize = o.batch ?? suggested.batch ?? 32
    config.epochs = o.epochs ?? (headless ? preset?.headlessEpochs ?? 20 : nil)
    config.l2 = o.l2?.floatValue ?? saved?.l2 ?? 0
    if let patience = o.reduceLROnPlateau {
      plateau = PlateauScheduler(factor: o.lrFactor?.floatValue ?? 0.1, patience: patience, minimumRate: o.minLR?.floatValue)
    }
    if let patience = o.earlyStop { earlyStop = EarlyStopping(patience: patience) }
    config.thresholds = o.thresholds
    let normalize = !o.noNormalize && (suggested.normalize ?? true)
    let validationSplit = o.valSplit?.value ?? saved?.validationSplit ?? suggested.validationSplit ?? 0.2

    if let path = o.load, let saved {
      guard saved.network.inputWidth == dataset.featureCount else {
        throw DataError(
          .malformed, file: o.data ?? preset?.data ?? "digits",
          "has \(counted(dataset.featureCount, "feature")) but \(path) was trained on \(saved.network.inputWidth)")
      }
      let changesArchitecture = try o.layers != nil || o.activation != nil || o.outputActivation() != nil || o.lossChoice() != nil || o.preset != nil
      if changesArchitecture {
        throw RunFailure(message: "--preset, --layers, --activation, --output and --loss cannot change a --load'ed model's architecture", code: 64)
      }
      checkpoint = saved
      network = saved.network
      spec = NetworkSpec(of: saved.network)
      prepared = try PreparedData(
        dataset, validationSplit: validationSplit, standardizer: saved.standardizer, encoding: saved.encoding, seed: seed)
      if o.lr == nil { config.learningRate = saved.optimizer.learningRate }
      if o.optimizer == nil { config.optimizer = saved.optimizer.kind }
      if o.batch == nil { config.batchSize = saved.batchSize }
      self.config = config
      return
    }

    checkpoint = nil
    let (output, loss) = try Self.outputAndLoss(for: dataset.targets, output: o.outputActivation(), loss: o.lossChoice())
    prepared = try PreparedData(dataset, validationSplit: validationSplit, normalize: normalize, output: output, seed: seed)
    let hidden = try o.hiddenLayers() ?? suggested.hiddenLayers ?? Self.defaultHiddenLayers
    spec = NetworkSpec(
      sizes: [dataset.featureCount] + hidden + [prepared.encoding.outputWidth],
      hidden: try o.hiddenActivation() ?? suggested.activation ?? .relu, output: output, loss: loss,
      initializer: o.initializer ?? preset?.initializer ?? .auto, gain: o.initGain?.floatValue ?? preset?.gain ?? 1)
    let explicitArchitecture = o.layers != nil || o.activation != nil || o.initializer != nil || o.initGain != nil
    if let given = suggested.network, !explicitArchitecture, given.outputWidth == spec.sizes.last {
      network = given
      spec = NetworkSpec(of: given)
    } else {
      // Refused before anything is allocated: a failed allocation would trap.
      let moments = config.optimizer == .adam ? 2 : config.optimizer == .momentum ? 1 : 0
      let budget = MemoryBudget(
        sizes: spec.sizes, optimizerMoments: moments, batch: min(config.batchSize, prepared.train.count), evaluationChunk: Evaluator.defaultChunk)
      if let refusal = budget.refusal(network: spec.sizes.map(String.init).joined(separator: "-"), available: MemoryBudget.available()) {
        throw RunFailure(message: refusal, code: 64)
      }
      var rng = SeededGenerator(seed: seed)
      network = try spec.make(using: &rng)
    }
    self.config = config
  }

  /// The session's options common to both runners.
  func sessionOptions(save: String?, checkpointEvery: Int?, force: Bool) -> SessionOptions {
    var options = SessionOptions()
    options.force = force
    options.savePath = save
    options.checkpointEvery = checkpointEvery
    options.plateau = plateau
    options.earlyStop = earlyStop
    return options
  }

  /// A trainer for this setup, resumed from the checkpoint when there is one.
  func makeTrainer(runner: ParallelRunner? = nil) -> Trainer {
    let trainer = Trainer(network: network, spec: spec, data: prepared, config: config, runner: runner)
    if let saved = checkpoint {
      var optimizer = saved.optimizer
      if optimizer.kind != config.optimizer { optimizer = Optimizer(kind: config.optimizer, learningRate: config.learningRate) }
      optimizer.learningRate = config.learningRate
      optimizer.momentum = config.momentum
      trainer.restore(network: saved.network, optimizer: optimizer, step: saved.step, epoch: saved.epoch, trainingTime: saved.trainingTime)
    }
    return trainer
  }

  static func defaultLearningRate(_ kind: OptimizerKind) -> Float {
    switch kind {
    case .sgd: 0.1
    case .momentum: 0.01
    case .adam: 0.001
    }
  }

  /// The output activation and loss: the ones asked for, completed to a
  /// matching pair (sigmoid+BCE for two classes, softmax+cross-entropy for
  /// more, linear+MSE for regression).
  static func outputAndLoss(for targets: Targets, output: Activation?, loss: Loss?) throws -> (Activation, Loss) {
    let natural: (Activation, Loss) =
      switch targets {
      case .classes(_, let names): names.count == 2 ? (.sigmoid, .bce) : (.softmax, .crossEntropy)
      default: (.linear, .mse)
      }
    let chosenOutput: Activation
    switch (output, loss) {
    case (let o?, _): chosenOutput = o
    case (nil, .bce?): chosenOutput = .sigmoid
    case (nil, .crossEntropy?): chosenOutput = .softmax
    case (nil, .mse?): chosenOutput = targets.isClassification ? natural.0 : .linear
    case (nil, nil): chosenOutput = natural.0
    }
    let chosenLoss: Loss
    if let loss {
      chosenLoss = loss
    } else {
      switch chosenOutput {
      case .sigmoid: chosenLoss = .bce
      case .softmax: chosenLoss = .crossEntropy
      default: chosenLoss = .mse
      }
    }
    guard chosenLoss.isCompatible(with: chosenOutput) else {
      throw ArchitectureError("--loss \(chosenLoss.rawValue) needs probabilities: use --output sigmoid or softmax, not \(chosenOutput.rawValue)")
    }
    return (chosenOutput, chosenLoss)
  }

  /// `digits: 1,797 examples × 64 features, 10 classes → 1,438 train / 359 validation`.
  var dataSummary: String {
    let validation = prepared.validation?.count ?? 0
    return "\(dataset.summary) → \(prepared.train.count.grouped) train / \(validation.grouped) validation"
  }

  /// What the dashboard says first about a CSV file, in one note (the
  /// dashboard shows one at a time): classes or values and why, and what
  /// reading it decided.
  var dataNotes: [String] {
    let parts = (dataset.targetReason.map { ["\(dataset.name): \(dataset.targets.summary) (\($0))"] } ?? []) + dataset.readingNotes
    return parts.isEmpty ? [] : [parts.joined(separator: " · ")]
  }

  /// `network 64-64-32-10 (relu → softmax, cross-entropy; 6,570 parameters) · sgd η=0.1 · batch 32 · seed 1`.
  var networkSummary: String {
    let hidden = network.layers.count > 1 ? "\(network.layers[0].activation.rawValue) → " : ""
    let optimizer = "\(config.optimizer.rawValue) η=\(shortNumber(config.learningRate))"
    return "network \(network.shapeDescription) (\(hidden)\(network.outputActivation.rawValue), \(network.loss.rawValue); "
      + "\(network.parameterCount.grouped) parameters) · \(optimizer) · batch \(config.batchSize) · seed \(config.seed)"
  }
}
