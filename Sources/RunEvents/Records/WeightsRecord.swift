/// Every layer's weights at a step: the run log's `weights` line (to 4
/// significant digits, what a heatmap can show) and the heatmap's input.
public struct WeightsRecord: Sendable, Equatable {
  public struct Layer: Sendable, Equatable {
    /// W row-major, `(out, in)`.
    public var weights: [Float]
    public var bias: [Float]
    public init(weights: [Float], bias: [Float]) {
      self.weights = weights
      self.bias = bias
    }
  }

  public var step: Int
  public var layers: [Layer]

  public init(step: Int, layers: [Layer]) {
    self.step = step
    self.layers = layers
  }

  /// The layers as matrices of `shapes`, if every size matches.
  public func matrices(_ shapes: [LayerShape]) -> [WeightMatrix]? {
    guard layers.count == shapes.count,
      zip(layers, shapes).allSatisfy({ $0.weights.count == $1.inputs * $1.outputs && $0.bias.count == $1.outputs })
    else { return nil }
    return zip(layers, shapes).map { WeightMatrix(rows: $1.outputs, cols: $1.inputs, storage: $0.weights) }
  }
}

extension WeightsRecord {
  /// `{"type":"weights","step":S,"layers":[{"w":[…],"b":[…]},…]}`.
  public var json: JSON {
    .object([
      ("type", .string("weights")),
      ("step", .int(step)),
      ("layers", .array(layers.map { .object([("w", .array($0.weights.map(JSON.compact))), ("b", .array($0.bias.map(JSON.compact)))]) })),
    ])
  }

  public init(json line: JSON) {
    func floats(_ json: JSON?) -> [Float] { (json?.arrayValue ?? []).map { Float($0.doubleValue ?? .nan) } }
    self.init(
      step: line["step"]?.intValue ?? 0,
      layers: (line["layers"]?.arrayValue ?? []).map { Layer(weights: floats($0["w"]), bias: floats($0["b"])) })
  }
}

/// A layer's weights for drawing, `(out, in)` row-major.
public struct WeightMatrix: Sendable, Equatable {
  public let rows: Int
  public let cols: Int
  public var storage: [Float]

  public init(rows: Int, cols: Int, storage: [Float]) {
    precondition(storage.count == rows * cols, "storage does not match the shape")
    self.rows = rows
    self.cols = cols
    self.storage = storage
  }

  public init(rows: Int, cols: Int) {
    self.init(rows: rows, cols: cols, storage: Array(repeating: 0, count: rows * cols))
  }

  public subscript(r: Int, c: Int) -> Float {
    get { storage[r * cols + c] }
    set { storage[r * cols + c] = newValue }
  }

  public func row(_ r: Int) -> ArraySlice<Float> { storage[(r * cols)..<((r + 1) * cols)] }
}
