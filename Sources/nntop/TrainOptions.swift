import Foundation
import ArgumentParser
import Datasets
import NeuralNet
import RunEvents
import Training
import Diagnosis
import NumberFormat

extension ColumnSelection.TargetKind: ExpressibleByArgument {}
extension ColumnSelection.MissingCells: ExpressibleByArgument {}
extension ColumnSelection.DecimalMark: ExpressibleByArgument {}

/// The `train` flags. Optional ones left out take the preset's value, then
/// the data set's suggestion, then nntop's default (see `RunSetup`).
struct TrainOptions: ParsableArguments {
  @Option(help: "A built-in data set (\(DataSource.builtinNames.joined(separator: ", "))), a .csv file or an IDX file. (default: digits; a --preset's own)")
  var data: String?

  @Option(help: "A run that shows one problem on purpose: \(Preset.names.joined(separator: ", ")) (see README).")
  var preset: String?

  @Option(help: "CSV: the column to predict (default: the last column).")
  var target: String?

  @Option(help: ArgumentHelp("CSV: columns to leave out, comma-separated (quote a name that holds a comma: '\"a,b\",c').", valueName: "col,..."))
  var drop: String?

  @Option(help: "CSV: what the target holds. Under auto, names are classes, and so are a few distinct whole numbers like 1 or 2.0 (at most 10, or a tenth of the rows, up to \(ColumnSelection.maxWholeNumberClasses)).")
  var task: ColumnSelection.TargetKind = .inferred

  @Option(help: "CSV: an empty cell (or NA, NaN, null, ?) is an error, drops its row, or takes its column's mean.")
  var missing: ColumnSelection.MissingCells = .error

  @Option(help: "CSV: how numbers write their decimals; under auto, 3.14 in a comma-separated file, and in one split by semicolons or tabs what its first decimal number writes (3,14 or 3.14).")
  var decimal: ColumnSelection.DecimalMark = .auto

  @Option(help: ArgumentHelp("Hidden layer widths, comma-separated; \"none\" for no hidden layer. (default: \(byDataSet(otherwise: "64,32") { $0.hiddenLayers?.map(String.init).joined(separator: ",") }); a --preset's own)", valueName: "w,..."))
  var layers: String?

  @Option(help: "Hidden activation: sigmoid, tanh, relu, leaky-relu, linear. (default: \(byDataSet(otherwise: "relu") { $0.activation?.rawValue }); a --preset's own)")
  var activation: String?

  @Option(help: "Output activation: auto, linear, sigmoid, softmax.")
  var output: String = "auto"

  @Option(help: "Loss: auto, mse, bce, cross-entropy.")
  var loss: String = "auto"

  @Option(name: .customLong("init"), help: "Weight initialisation. (default: auto: he for relu and leaky-relu, xavier otherwise; a --preset's own)")
  var initializer: Initializer?

  @Option(name: .customLong("init-gain"), parsing: .unconditional, help: "Multiply every initial weight by this. (default: 1; a --preset's own)")
  var initGain: TypedNumber?

  @Option(help: "Optimiser. (default: sgd; a --load'ed model's own)")
  var optimizer: OptimizerKind?

  @Option(parsing: .unconditional, help: "Learning rate η. (default: \(byDataSet(otherwise: "0.1 for sgd, 0.01 for momentum, 0.001 for adam") { $0.learningRate.map(shortNumber) }); a --preset's own; a --load'ed model's own)")
  var lr: TypedNumber?

  @Option(parsing: .unconditional, help: "Momentum μ for --optimizer momentum. (default: 0.9)")
  var momentum: TypedNumber?

  @Option(parsing: .unconditional, help: "Mini-batch size. (default: \(byDataSet(otherwise: "32") { $0.batch.map(String.init) }); a --preset's own; a --load'ed model's own)")
  var batch: Int?

  @Option(parsing: .unconditional, help: "Epochs to train. (default: 20 headless, or a --preset's own; until you quit in the dashboard)")
  var epochs: Int?

  @Option(name: .customLong("val-split"), parsing: .unconditional, help: "Fraction held out for validation, in 0..<1. (default: \(byDataSet(otherwise: "0.2") { $0.validationSplit.map { general($0) } }); a --load'ed model's own)")
  var valSplit: TypedNumber?

  @Option(parsing: .unconditional, help: "L2 weight decay λ: J += λ/2·Σ‖W‖². (default: 0; a --load'ed model's own)")
  var l2: TypedNumber?

  @Option(name: .customLong("vanishing-grad"), parsing: .unconditional, help: "Flag a layer whose ‖∂J/∂W‖ is below this as vanishing. (default: 1e-6)")
  var vanishingGrad: TypedNumber?

  @Option(name: .customLong("vanishing-ratio"), parsing: .unconditional, help: "Flag a layer whose ‖∂J/∂W‖ is below this fraction of the largest layer's as vanishing. (default: 1e-3)")
  var vanishingRatio: TypedNumber?

  @Option(name: .customLong("exploding-grad"), parsing: .unconditional, help: "Flag a layer whose ‖∂J/∂W‖ is above this as exploding. (default: 1e3)")
  var explodingGrad: TypedNumber?

  @Option(name: .customLong("dead-fraction"), parsing: .unconditional, help: "Flag a layer where more than this share of ReLUs never fire. (default: 0.5)")
  var deadFraction: TypedNumber?

  @Option(name: .customLong("saturated-fraction"), parsing: .unconditional, help: "Flag a layer where more than this share of sigmoid/tanh activations are saturated. (default: 0.5)")
  var saturatedFraction: TypedNumber?

  @Option(name: .customLong("update-ratio-high"), parsing: .unconditional, help: "Flag ‖ΔW‖/‖W‖ above this: η too large. (default: 0.1)")
  var updateRatioHigh: TypedNumber?

  @Option(name: .customLong("update-ratio-low"), parsing: .unconditional, help: "Flag ‖ΔW‖/‖W‖ below this (while the gradient is not small): η too small. (default: 1e-6)")
  var updateRatioLow: TypedNumber?

  @Option(name: .customLong("overfit-rise"), parsing: .unconditional, help: "Flag the run as overfitting when the validation loss stays this fraction above its best … (default: 0.2)")
  var overfitRise: TypedNumber?

  @Option(name: .customLong("overfit-epochs"), parsing: .unconditional, help: "… for this many epochs in a row while the training loss still falls. (default: 10)")
  var overfitEpochs: Int?

  @Option(name: .customLong("reduce-lr-on-plateau"), parsing: .unconditional, help: ArgumentHelp("Multiply η by --lr-factor when the validation loss has not improved for this many epochs.", valueName: "patience"))
  var reduceLROnPlateau: Int?

  @Option(name: .customLong("lr-factor"), parsing: .unconditional, help: "The factor --reduce-lr-on-plateau applies. (default: 0.1)")
  var lrFactor: TypedNumber?

  @Option(name: .customLong("min-lr"), parsing: .unconditional, help: "The smallest η --reduce-lr-on-plateau goes to. (default: 1e-4 × η when the run starts)")
  var minLR: TypedNumber?

  @Option(name: .customLong("early-stop"), parsing: .unconditional, help: ArgumentHelp("Stop when the validation loss has not improved for this many epochs.", valueName: "patience"))
  var earlyStop: Int?

  @Option(parsing: .unconditional, help: "Threads for a training step: 2 helps networks the size of MNIST's (their products split) and deep stacks of small layers (the hidden layers' forward pass split by examples; under plain SGD, each layer's update beside the backward pass), with one thread kept whenever timing shows two slower.")
  var threads: Int = 1

  @Option(parsing: .unconditional, help: "Seed for weights, shuffling and generated data. (default: 1; a --load'ed model's own)")
  var seed: UInt64?

  @Flag(name: .customLong("no-normalize"), help: "Do not standardise features (seed-example never does).")
  var noNormalize = false

  @Option(help: "Dashboard theme: a built-in name (default, light, mono, solarized-dark, colorblind), a user theme or a .toml file.")
  var theme: String?

  @Flag(help: "No dashboard: one line per epoch on stdout (also when stdout is not a terminal).")
  var headless = false

  @Option(help: ArgumentHelp("The dashboard's training pace: steps a second, or full (< and > change it; headless is always full speed). (default: 25 for the built-in 2-D data sets, else full)", valueName: "steps/s|full"))
  var pace: String?

  @Option(help: ArgumentHelp("Write the run log (JSON Lines) here.", valueName: "file.jsonl"))
  var log: String?

  @Option(help: ArgumentHelp("Also write TensorBoard event files into this directory.", valueName: "dir"))
  var tensorboard: String?

  @Option(help: ArgumentHelp("Save the model here when training ends (and on s, and with --checkpoint-every).", valueName: "file.safetensors"))
  var save: String?

  @Option(name: .customLong("checkpoint-every"), parsing: .unconditional, help: ArgumentHelp("Also save to --save after every this many epochs.", valueName: "epochs"))
  var checkpointEvery: Int?

  @Option(help: ArgumentHelp("Start from a saved model.", valueName: "file.safetensors"))
  var load: String?

  @Flag(help: "Replace --log and --save files that nntop did not write (never the data the run reads).")
  var force = false

  mutating func validate() throws {
    if let lr, let problem = LearningRateRange.problem(lr.value, text: lr.text, name: "--lr") { throw ValidationError(problem) }
    if let minLR, let problem = LearningRateRange.problem(minLR.value, text: minLR.text, name: "--min-lr") { throw ValidationError(problem) }
    if let momentum, !(momentum.value >= 0 && momentum.value < 1) {
      throw ValidationError("--momentum must be in 0..<1, got \(momentum)")
    }
    guard (1...64).contains(threads) else { throw ValidationError("--threads must be from 1 to 64, got \(threads)") }
    if let batch, batch <= 0 { throw ValidationError("--batch must be at least 1, got \(batch)") }
    if let epochs, epochs <= 0 { throw ValidationError("--epochs must be at least 1, got \(epochs)") }
    if let valSplit, !(valSplit.value >= 0 && valSplit.value < 1) { throw ValidationError("--val-split must be in 0..<1, got \(valSplit)") }
    if let l2, !(l2.value.isFinite && l2.value >= 0) { throw ValidationError("--l2 must be a number ≥ 0, got \(l2)") }
    if let l2 { _ = try l2.float("--l2") }
    if let initGain, !(initGain.value.isFinite && initGain.value > 0) { throw ValidationError("--init-gain must be a positive number, got \(initGain)") }
    if let initGain { _ = try initGain.float("--init-gain") }
    if let preset, Preset.named(preset) == nil {
      throw ValidationError("--preset must be one of \(Preset.names.joined(separator: ", ")), got \"\(preset)\"")
    }
    for (flag, value) in [("--dead-fraction", deadFraction), ("--saturated-fraction", saturatedFraction)] {
      if let value, !(value.value >= 0 && value.value < 1) { throw ValidationError("\(flag) must be in 0..<1, got \(value)") }
    }
    if let n = reduceLROnPlateau, n < 1 { throw ValidationError("--reduce-lr-on-plateau takes a patience of at least 1 epoch, got \(n)") }
    if let n = checkpointEvery {
      guard n >= 1 else { throw ValidationError("--checkpoint-every takes at least 1 epoch, got \(n)") }
      guard save != nil else { throw ValidationError("--checkpoint-every needs --save FILE to say where") }
    }
    if let n = earlyStop, n < 1 { throw ValidationError("--early-stop takes a patience of at least 1 epoch, got \(n)") }
    if let f = lrFactor, !(f.value > 0 && f.value < 1) { throw ValidationError("--lr-factor must be in 0<…<1, got \(f)") }
    if let f = lrFactor { _ = try f.float("--lr-factor") }
    if lrFactor != nil && reduceLROnPlateau == nil { throw ValidationError("--lr-factor goes with --reduce-lr-on-plateau") }
    if minLR != nil && reduceLROnPlateau == nil { throw ValidationError("--min-lr goes with --reduce-lr-on-plateau") }
    for (flag, value) in [
      ("--vanishing-grad", vanishingGrad), ("--vanishing-ratio", vanishingRatio), ("--exploding-grad", explodingGrad),
      ("--update-ratio-high", updateRatioHigh), ("--update-ratio-low", updateRatioLow),
    ] {
      if let value, !(value.value.isFinite && value.value > 0) { throw ValidationError("\(flag) must be a positive number, got \(value)") }
    }
    _ = try givenPace()
    if let overfitRise, !(overfitRise.value.isFinite && overfitRise.value > 0) { throw ValidationError("--overfit-rise must be a positive fraction (0.2 is 20 %), got \(overfitRise)") }
    if let overfitEpochs, overfitEpochs < 1 { throw ValidationError("--overfit-epochs must be at least 1, got \(overfitEpochs)") }
    if let vanishingRatio, vanishingRatio.value >= 1 { throw ValidationError("--vanishing-ratio must be below 1, got \(vanishingRatio)") }
    _ = try hiddenActivation()
    _ = try hiddenLayers()
    _ = try outputActivation()
    _ = try lossChoice()
  }

  /// `--layers` as widths; nil when not given.
  func hiddenLayers() throws -> [Int]? {
    guard let layers else { return nil }
    let text = layers.trimmingCharacters(in: .whitespaces)
    if text.isEmpty || text == "none" { return [] }
    return try text.split(separator: ",", omittingEmptySubsequences: false).map { part in
      let p = part.trimmingCharacters(in: .whitespaces)
      guard let width = Int(p) else { throw ValidationError("--layers \(layers): \"\(p)\" is not a layer width") }
      guard width > 0 else { throw ValidationError("--layers \(layers): a layer of width \(width) has no units") }
      guard width <= 65_536 else { throw ValidationError("--layers \(layers): width \(width) is too large (at most 65536)") }
      return width
    }
  }

  /// `--activation`, nil when not given.
  func hiddenActivation() throws -> Activation? {
    guard let activation else { return nil }
    if activation == "softmax" { throw ValidationError("--activation softmax is an output activation; use --output softmax") }
    guard let a = Activation(rawValue: activation), Activation.hiddenChoices.contains(a) else {
      throw ValidationError("--activation must be sigmoid, tanh, relu, leaky-relu or linear, got \"\(activation)\"")
    }
    return a
  }

  /// `--output`, nil for auto.
  func outputActivation() throws -> Activation? {
    if output == "auto" { return nil }
    guard let a = Activation(rawValue: output), Activation.outputChoices.contains(a) else {
      throw ValidationError("--output must be auto, linear, sigmoid or softmax, got \"\(output)\"")
    }
    return a
  }

  /// `--loss`, nil for auto.
  func lossChoice() throws -> Loss? {
    if loss == "auto" { return nil }
    guard let l = Loss(rawValue: loss) else { throw ValidationError("--loss must be auto, mse, bce or cross-entropy, got \"\(loss)\"") }
    return l
  }

  /// The health thresholds, defaults replaced by the flags given.
  var thresholds: HealthThresholds {
    var t = HealthThresholds()
    if let vanishingGrad { t.vanishingNorm = vanishingGrad.value }
    if let vanishingRatio { t.vanishingRatio = vanishingRatio.value }
    if let explodingGrad { t.explodingNorm = explodingGrad.value }
    if let deadFraction { t.deadFraction = deadFraction.value }
    if let saturatedFraction { t.saturatedFraction = saturatedFraction.value }
    if let updateRatioHigh { t.updateRatioHigh = updateRatioHigh.value }
    if let updateRatioLow { t.updateRatioLow = updateRatioLow.value }
    if let overfitRise { t.overfitRise = overfitRise.value }
    if let overfitEpochs { t.overfitEpochs = overfitEpochs }
    return t
  }

  /// `--pace` as given; nil when it is not.
  func givenPace() throws -> Pace? {
    guard let pace else { return nil }
    if pace == "full" { return .full }
    guard let rate = Double(pace), rate.isFinite, rate >= 1 else {
      throw ValidationError("--pace takes steps a second (1 or more) or full, got \"\(pace)\"")
    }
    guard rate <= 1e9 else { throw ValidationError("--pace \(pace) is more steps a second than any run takes: use --pace full") }
    return Pace(stepsPerSecond: rate)
  }

  /// The pace the dashboard opens at: `--pace`, else `Pace.watchable` for a
  /// built-in data set of two inputs (its decision boundary forming), else full speed.
  func dashboardPace(_ setup: RunSetup) -> Pace {
    if let given = try? givenPace() { return given }
    if case .builtin = setup.source, setup.network.inputWidth == 2 { return .watchable }
    return .full
  }

  /// `16,16 for spirals, xor, …; 32,32 for sine; otherwise 64,32`: a default
  /// as each built-in data set has it (`value` nil: the general one).
  static func byDataSet(otherwise: String, _ value: (Suggestions) -> String?) -> String {
    var groups: [(value: String, names: [String])] = []
    for name in DataSource.builtinNames {
      guard let v = value(.builtin(name)) else { continue }
      if let i = groups.firstIndex(where: { $0.value == v }) { groups[i].names.append(name) } else { groups.append((v, [name])) }
    }
    return (groups.map { "\($0.value) for \($0.names.joined(separator: ", "))" } + ["otherwise \(otherwise)"]).joined(separator: "; ")
  }

  var dropColumns: [String] { Self.columnList(drop) }

  /// `--drop a,b,"c,d"`: names split at commas, except inside double quotes
  /// (for a column whose name holds a comma; `""` is a quote).
  static func columnList(_ text: String?) -> [String] {
    var names: [String] = [], name = "", quoted = false
    var characters = Array(text ?? "")[...]
    while let c = characters.popFirst() {
      if c == "\"" {
        if quoted && characters.first == "\"" {
          name.append(characters.removeFirst())
        } else {
          quoted.toggle()
        }
      } else if c == "," && !quoted {
        names.append(name)
        name = ""
      } else {
        name.append(c)
      }
    }
    names.append(name)
    return names.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
  }
}
