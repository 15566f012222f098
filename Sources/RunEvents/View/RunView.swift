/// Where a run is.
public enum RunState: String, Sendable, Equatable {
  case running = "RUNNING"
  case paused = "PAUSED"
  /// Reached its epochs; the dashboard stays open (space trains on).
  case finished = "FINISHED"
  /// NaN or infinity appeared; training paused itself.
  case diverged = "DIVERGED"
  case stopped = "STOPPED"
}

/// What the dashboard draws of a run, whatever trained it: folded from the
/// run's events by `apply(_:)` (RunView+Reduce.swift), the one reducer the
/// live session, replay and watched runs share.
public struct RunView: Sendable, Equatable {
  public var info: RunInfo
  public var state: RunState = .running
  public var step = 0
  /// Epochs completed, and how far the current one is (0..<1).
  public var epoch = 0
  public var epochProgress = 0.0
  public var learningRate: Float = 0
  public var batchSize = 0
  /// Recent training throughput.
  public var samplesPerSecond = 0.0
  /// Seconds of training (pauses and Ctrl-Z stops excluded).
  public var trainingTime = 0.0
  public var history: History
  public var layers: [LayerStatistics] = []
  public var health: [LayerHealth] = []
  /// The run-level verdict of the last epoch judged: overfitting, or nil.
  public var overfitting: OverfittingVerdict?
  /// How fast the built-in trainer may go (full speed for other sources).
  public var pace = Pace.full
  /// The weights, per layer `(out, in)`.
  public var weights: [WeightMatrix] = []
  /// The model's output over the input plane (2-D data), from its source.
  public var field: DecisionField?
  public var notice: Notice?
  /// What went wrong, when `state == .diverged`.
  public var divergence: String?
  /// A write that failed and stopped the run (`state == .stopped`).
  public var failure: String?
  /// A loaded model trained since it was last saved, with no `--save` to
  /// keep it at the end: `q` asks first.
  public var unsavedWork = false
  /// Where a watched run comes from and whether it still runs
  /// (`pytorch · vm · pid 4242 · run ended`); nil for nntop's own.
  public var origin: String?
  /// A torch.distributed run's ranks (empty for one process); then `layers`
  /// are the mean over ranks, `health` the worst rank's verdict, and
  /// `gradientSpread` each layer's smallest and largest ‖∂J/∂W‖.
  public var ranks: [RankStatus] = []
  public var gradientSpread: [ClosedRange<Double>] = []
  /// The sample the throughput was last measured from (the reducer's).
  var rateAnchor: (step: Int, time: Double)?

  public init(info: RunInfo) {
    self.info = info
    history = History(layers: info.layerShapes.count)
  }

  /// A view starting from a run header: its η and batch size too.
  public init(header: RunHeader) {
    self.init(info: header.info)
    batchSize = header.batchSize
    learningRate = header.learningRate
    origin = header.origin
  }

  public static func == (a: RunView, b: RunView) -> Bool {
    a.info == b.info && a.state == b.state && a.step == b.step && a.epoch == b.epoch && a.epochProgress == b.epochProgress
      && a.learningRate == b.learningRate && a.batchSize == b.batchSize && a.samplesPerSecond == b.samplesPerSecond
      && a.trainingTime == b.trainingTime && a.history == b.history && a.layers == b.layers && a.health == b.health
      && a.weights == b.weights && a.field == b.field && a.notice == b.notice && a.divergence == b.divergence
      && a.failure == b.failure && a.unsavedWork == b.unsavedWork && a.origin == b.origin && a.ranks == b.ranks
      && a.gradientSpread == b.gradientSpread && a.overfitting == b.overfitting && a.pace == b.pace
  }

  /// Shows a line to the person at the keyboard (replacing the last).
  public mutating func notify(_ text: String, _ level: Notice.Level) {
    notice = Notice(text: text, level: level, id: (notice?.id ?? 0) + 1)
  }
}

/// What does not change during a run: names, shapes, the data's look.
public struct RunInfo: Sendable, Equatable {
  public var dataName: String
  public var networkDescription: String
  /// `W1 64→128` … per layer.
  public var layerNames: [String]
  /// A watched run's own names for its layers, if it gave them.
  public var moduleNames: [String]?
  public var layerShapes: [LayerShape]
  /// Each layer's activation by name (`relu`, `sigmoid`…), the output's last.
  public var activations: [String]
  public var imageShape: ImageShape?
  public var classNames: [String]
  public var isClassification: Bool
  /// Examples in the training split.
  public var trainCount: Int
  /// Epochs to train; nil: until stopped.
  public var epochs: Int?
  /// For 2-D inputs: up to a few hundred training points (standardised) and their class.
  public var points: [PlanePoint]

  /// `moduleNames`: a watched run's names for its layers (`fc1`,
  /// `features.0`); without them, nntop's own `W1`, `W2`….
  public init(
    dataName: String, networkDescription: String, layerShapes: [LayerShape], activations: [String], imageShape: ImageShape?,
    classNames: [String], isClassification: Bool, trainCount: Int, epochs: Int?, points: [PlanePoint], moduleNames: [String]? = nil
  ) {
    self.dataName = dataName
    self.networkDescription = networkDescription
    self.layerShapes = layerShapes
    self.activations = activations
    let names = moduleNames?.count == layerShapes.count ? moduleNames! : layerShapes.indices.map { "W\($0 + 1)" }
    self.moduleNames = moduleNames?.count == layerShapes.count ? moduleNames : nil
    // A source that does not know the shapes (TensorBoard's gradient norms) gives 0×0: the name alone.
    layerNames = zip(names, layerShapes).map { $1.inputs > 0 ? "\($0) \($1.inputs)→\($1.outputs)" : $0 }
    self.imageShape = imageShape
    self.classNames = classNames
    self.isClassification = isClassification
    self.trainCount = trainCount
    self.epochs = epochs
    self.points = points
  }
}

/// A dense layer's shape: W is `(outputs, inputs)`.
public struct LayerShape: Sendable, Equatable {
  public var inputs: Int
  public var outputs: Int
  public init(inputs: Int, outputs: Int) {
    self.inputs = inputs
    self.outputs = outputs
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
