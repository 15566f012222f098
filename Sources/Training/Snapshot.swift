import Datasets
import NeuralNet
import Diagnosis
import RunEvents

/// Where a run is.
public enum RunState: String, Sendable, Equatable {
  case running = "RUNNING"
  case paused = "PAUSED"
  /// Reached `--epochs`; the dashboard stays open (space trains on).
  case finished = "FINISHED"
  /// NaN or infinity appeared; training paused itself.
  case diverged = "DIVERGED"
  case stopped = "STOPPED"
}

/// What does not change during a run: names, shapes, the data's look.
public struct RunInfo: Sendable, Equatable {
  public var dataName: String
  public var networkDescription: String
  /// `W1 64→128` … per layer.
  public var layerNames: [String]
  public var layerShapes: [(inputs: Int, outputs: Int)]
  /// Each layer's activation, the output's last.
  public var activations: [Activation]
  public var imageShape: ImageShape?
  public var classNames: [String]
  public var isClassification: Bool
  /// Examples in the training split.
  public var trainCount: Int
  public var epochs: Int?
  /// For 2-D inputs: up to a few hundred training points (standardised) and their class.
  public var points: [PlanePoint]

  /// Every field (the shapes are tuples, which are not Equatable).
  public static func == (a: RunInfo, b: RunInfo) -> Bool {
    a.dataName == b.dataName && a.networkDescription == b.networkDescription && a.layerNames == b.layerNames
      && a.layerShapes.map { [$0.inputs, $0.outputs] } == b.layerShapes.map { [$0.inputs, $0.outputs] } && a.activations == b.activations
      && a.imageShape == b.imageShape && a.classNames == b.classNames && a.isClassification == b.isClassification
      && a.trainCount == b.trainCount && a.epochs == b.epochs && a.points == b.points
  }

  public init(
    dataName: String, networkDescription: String, layerShapes: [(inputs: Int, outputs: Int)], activations: [Activation],
    imageShape: ImageShape?,
    classNames: [String], isClassification: Bool, trainCount: Int, epochs: Int?, points: [PlanePoint]
  ) {
    self.dataName = dataName
    self.networkDescription = networkDescription
    self.layerShapes = layerShapes
    self.activations = activations
    layerNames = layerShapes.enumerated().map { "W\($0 + 1) \($1.inputs)→\($1.outputs)" }
    self.imageShape = imageShape
    self.classNames = classNames
    self.isClassification = isClassification
    self.trainCount = trainCount
    self.epochs = epochs
    self.points = points
  }
}

/// A training point of a 2-D data set, in standardised coordinates.
public struct PlanePoint: Sendable, Equatable {
  public var x: Float
  public var y: Float
  public var label: Int
  public init(x: Float, y: Float, label: Int) {
    self.x = x
    self.y = y
    self.label = label
  }
}

/// The model's output over the input plane (2-D data): for each grid point
/// the predicted class and its probability (or the value, for regression).
public struct DecisionField: Sendable, Equatable {
  public var columns: Int
  public var rows: Int
  /// The plane shown: x from `xRange`, y from `yRange` (row 0 at the top = max y).
  public var xRange: ClosedRange<Float>
  public var yRange: ClosedRange<Float>
  /// Per grid point, row-major from the top-left: class index and confidence.
  public var classes: [UInt8]
  public var confidence: [Float]

  public init(columns: Int, rows: Int, xRange: ClosedRange<Float>, yRange: ClosedRange<Float>, classes: [UInt8], confidence: [Float]) {
    self.columns = columns
    self.rows = rows
    self.xRange = xRange
    self.yRange = yRange
    self.classes = classes
    self.confidence = confidence
  }
}

/// A short line for the person at the keyboard ("saved m.safetensors").
public struct Notice: Sendable, Equatable {
  public enum Level: Sendable, Equatable { case info, warning, error }
  public var text: String
  public var level: Level
  /// Increases with every new notice, so the UI can time it out.
  public var id: Int
  public init(text: String, level: Level, id: Int) {
    self.text = text
    self.level = level
    self.id = id
  }
}

/// An immutable picture of the run, published by the trainer for the UI.
public struct Snapshot: Sendable, Equatable {
  public var info: RunInfo
  public var state: RunState
  public var step: Int
  /// Epochs completed, and how far the current one is (0..<1).
  public var epoch: Int
  public var epochProgress: Double
  public var learningRate: Float
  public var batchSize: Int
  /// Recent training throughput.
  public var samplesPerSecond: Double
  /// Seconds of training (pauses and Ctrl-Z stops excluded).
  public var trainingTime: Double
  public var history: History
  public var layers: [LayerStatistics]
  public var health: [LayerHealth]
  /// Copies of the weights, per layer `(out, in)`.
  public var weights: [Matrix]
  public var field: DecisionField?
  public var notice: Notice?
  /// What went wrong, when `state == .diverged`.
  public var divergence: String?
  /// A write that failed and stopped the run (`state == .stopped`).
  public var failure: String?
  /// A loaded model trained since it was last saved, with no `--save` to
  /// keep it at the end: `q` asks first.
  public var unsavedWork = false

  public init(info: RunInfo, layers: Int) {
    self.info = info
    state = .running
    step = 0
    epoch = 0
    epochProgress = 0
    learningRate = 0
    batchSize = 0
    samplesPerSecond = 0
    trainingTime = 0
    history = History(layers: layers)
    self.layers = []
    health = []
    weights = []
  }
}

extension RunInfo {
  /// The run's description from its trainer.
  public init(trainer: Trainer, epochs: Int?) {
    let net = trainer.network
    let data = trainer.data
    var points: [PlanePoint] = []
    if net.inputWidth == 2, let labels = data.train.labels {
      let step = max(1, data.train.count / 400)
      for i in Swift.stride(from: 0, to: data.train.count, by: step) {
        points.append(PlanePoint(x: data.train.inputs[i, 0], y: data.train.inputs[i, 1], label: labels[i]))
      }
    }
    let hidden = net.layers.count > 1 ? "\(net.layers[0].activation.rawValue)→" : ""
    self.init(
      dataName: data.name, networkDescription: "\(net.shapeDescription) \(hidden)\(net.outputActivation.rawValue)",
      layerShapes: net.layers.map { ($0.inputs, $0.outputs) }, activations: net.layers.map(\.activation),
      imageShape: data.imageShape,
      classNames: data.encoding.classNames, isClassification: data.encoding.isClassification,
      trainCount: data.train.count, epochs: epochs, points: points)
  }
}
