/// A run log's first line: what was trained on what, and how.
public struct RunHeader: Sendable, Equatable {
  /// The run-log schema this nntop writes; a reader refuses a newer one.
  public static let schemaVersion = 1

  public var schema: Int
  /// Who trained the run: `nntop` (the built-in engine) or `pytorch`.
  public var source: String
  /// `dashboard` or `headless`.
  public var mode: String
  public var info: RunInfo
  public var batchSize: Int
  /// η at the start of the run.
  public var learningRate: Float
  /// The loss function's name (`cross-entropy`, `mse`…), if known.
  public var lossFunction: String?
  /// Settings shown to no panel (optimizer, seed, version…), as written.
  public var settings: [(String, JSON)]

  public init(
    source: String = "nntop", mode: String, info: RunInfo, batchSize: Int, learningRate: Float, lossFunction: String?,
    settings: [(String, JSON)] = [], schema: Int = RunHeader.schemaVersion
  ) {
    self.schema = schema
    self.source = source
    self.mode = mode
    self.info = info
    self.batchSize = batchSize
    self.learningRate = learningRate
    self.lossFunction = lossFunction
    self.settings = settings
  }

  /// Where a run nntop did not train comes from: `pytorch · vm · pid 4242`
  /// (the host and pid its header gives); nil for nntop's own.
  public var origin: String? {
    guard source != "nntop" else { return nil }
    return ([source, host, pid.map { "pid \($0)" }].compactMap { $0 }.filter { !$0.isEmpty }).joined(separator: " · ")
  }

  /// The host and process id of a watched run's training process, as its header gives them.
  public var host: String? { settings.first { $0.0 == "host" }?.1.stringValue }
  public var pid: Int? { settings.first { $0.0 == "pid" }?.1.intValue }
  /// Under torch.distributed: this log's rank, the number of ranks, and the
  /// steps between the points where the ranks take commands together.
  public var rank: Int? { settings.first { $0.0 == "rank" }?.1.intValue }
  public var worldSize: Int? { settings.first { $0.0 == "world_size" }?.1.intValue }
  public var syncEvery: Int? { settings.first { $0.0 == "sync_every" }?.1.intValue }

  public static func == (a: RunHeader, b: RunHeader) -> Bool {
    a.schema == b.schema && a.source == b.source && a.mode == b.mode && a.info == b.info && a.batchSize == b.batchSize
      && a.learningRate == b.learningRate && a.lossFunction == b.lossFunction && JSON.object(a.settings) == JSON.object(b.settings)
  }
}

extension RunHeader {
  /// The fields the reader knows; `settings` follow them.
  private static let knownKeys: Set<String> = [
    "type", "schema", "source", "mode", "data", "network", "layers", "activations", "task", "classes", "train", "epochs",
    "image_shape", "points", "batch", "lr", "loss_fn", "layer_names",
  ]

  /// `{"type":"run","schema":1,"source":"nntop","mode":…,"layers":[[out,in],…],…}`.
  public var json: JSON {
    var pairs: [(String, JSON)] = [
      ("type", .string("run")),
      ("schema", .int(schema)),
      ("source", .string(source)),
      ("mode", .string(mode)),
      ("data", .string(info.dataName)),
      ("network", .string(info.networkDescription)),
      ("layers", .array(info.layerShapes.map { .array([.int($0.outputs), .int($0.inputs)]) })),
      ("activations", .array(info.activations.map(JSON.string))),
      ("task", .string(info.isClassification ? "classification" : "regression")),
      ("classes", .array(info.classNames.map(JSON.string))),
      ("train", .int(info.trainCount)),
      ("epochs", info.epochs.map(JSON.int) ?? .null),
      ("batch", .int(batchSize)),
      ("lr", .finite(learningRate)),
      ("loss_fn", lossFunction.map(JSON.string) ?? .null),
    ]
    if let names = info.moduleNames { pairs.append(("layer_names", .array(names.map(JSON.string)))) }
    if let shape = info.imageShape { pairs.append(("image_shape", .array([.int(shape.rows), .int(shape.cols)]))) }
    if !info.points.isEmpty {
      pairs.append(("points", .array(info.points.map { .array([.compact($0.x), .compact($0.y), .int($0.label)]) })))
    }
    return .object(pairs + settings.filter { !Self.knownKeys.contains($0.0) })
  }

  /// Reads a `run` line. A header without layer shapes, with activations
  /// that do not match them, or of a newer schema is refused.
  public init(json h: JSON) throws(RecordError) {
    let schema = h["schema"]?.intValue ?? 1
    guard schema <= Self.schemaVersion else {
      throw RecordError("written by a newer nntop (run-log schema \(schema); this nntop reads \(Self.schemaVersion)): upgrade nntop to read it")
    }
    guard let shapes = h["layers"]?.arrayValue?.compactMap({ $0.arrayValue?.compactMap(\.intValue) }), !shapes.isEmpty,
      shapes.allSatisfy({ $0.count == 2 && $0[0] > 0 && $0[1] > 0 })
    else { throw RecordError("the run header has no layer shapes") }
    let activations = (h["activations"]?.arrayValue ?? []).compactMap(\.stringValue)
    guard activations.count == shapes.count else { throw RecordError("the run header's activations do not match its layers") }
    let image = h["image_shape"]?.arrayValue?.compactMap(\.intValue)
    let points = (h["points"]?.arrayValue ?? []).compactMap { p -> PlanePoint? in
      guard let v = p.arrayValue, v.count == 3, let x = v[0].doubleValue, let y = v[1].doubleValue, let l = v[2].intValue else { return nil }
      return PlanePoint(x: Float(x), y: Float(y), label: l)
    }
    let info = RunInfo(
      dataName: h["data"]?.stringValue ?? "?", networkDescription: h["network"]?.stringValue ?? "?",
      layerShapes: shapes.map { LayerShape(inputs: $0[1], outputs: $0[0]) }, activations: activations,
      imageShape: image.flatMap { $0.count == 2 && $0[0] > 0 && $0[1] > 0 ? ImageShape(rows: $0[0], cols: $0[1]) : nil },
      classNames: (h["classes"]?.arrayValue ?? []).compactMap(\.stringValue),
      isClassification: h["task"]?.stringValue != "regression", trainCount: h["train"]?.intValue ?? 0,
      epochs: h["epochs"]?.intValue, points: points, moduleNames: h["layer_names"]?.arrayValue?.compactMap(\.stringValue))
    self.init(
      source: h["source"]?.stringValue ?? "nntop", mode: h["mode"]?.stringValue ?? "", info: info, batchSize: h["batch"]?.intValue ?? 0,
      learningRate: Float(h["lr"]?.doubleValue ?? 0), lossFunction: h["loss_fn"]?.stringValue,
      settings: (h.objectValue ?? []).filter { !Self.knownKeys.contains($0.0) }, schema: schema)
  }
}
