/// Every layer's weights at a step: the run log's `weights` line (to 4
/// significant digits, what a heatmap can show) and the heatmap's input.
public struct WeightsRecord: Sendable, Equatable {
  public struct Layer: Sendable, Equatable {
    /// W row-major, `(out, in)`.
    public var weights: [Float]
    public var bias: [Float]
    /// `(rows, cols)` of `weights` when they are a pooled picture of a
    /// larger layer (a watched run's), not the layer itself.
    public var pooledShape: LayerShape?
    public init(weights: [Float], bias: [Float], pooledShape: LayerShape? = nil) {
      self.weights = weights
      self.bias = bias
      self.pooledShape = pooledShape
    }
  }

  public var step: Int
  public var layers: [Layer]

  public init(step: Int, layers: [Layer]) {
    self.step = step
    self.layers = layers
  }

  /// The layers as matrices of `shapes` (or of their pooled shapes), if every size matches.
  public func matrices(_ shapes: [LayerShape]) -> [WeightMatrix]? {
    guard layers.count == shapes.count else { return nil }
    var matrices: [WeightMatrix] = []
    for (layer, full) in zip(layers, shapes) {
      let shape = layer.pooledShape ?? full
      guard shape.inputs > 0, shape.outputs > 0, layer.weights.count == shape.inputs * shape.outputs,
        layer.pooledShape != nil || layer.bias.count == shape.outputs
      else { return nil }
      matrices.append(WeightMatrix(rows: shape.outputs, cols: shape.inputs, storage: layer.weights))
    }
    return matrices
  }

  /// Whether these are the layers themselves (not pooled pictures).
  public var isExact: Bool { layers.allSatisfy { $0.pooledShape == nil } }
}

extension WeightsRecord {
  /// `{"type":"weights","step":S,"layers":[{"w":[…],"b":[…]},…]}`.
  public var json: JSON {
    .object([
      ("type", .string("weights")),
      ("step", .int(step)),
      ("layers", .array(layers.map { layer in
        .object(
          [("w", .array(layer.weights.map(JSON.compact))), ("b", .array(layer.bias.map(JSON.compact)))]
            + (layer.pooledShape.map { [("shape", .array([.int($0.outputs), .int($0.inputs)]))] } ?? []))
      })),
    ])
  }

  public init(json line: JSON) {
    func floats(_ json: JSON?) -> [Float] { (json?.arrayValue ?? []).map { Float($0.doubleValue ?? .nan) } }
    self.init(
      step: line["step"]?.intValue ?? 0,
      layers: (line["layers"]?.arrayValue ?? []).map { layer in
        let shape = layer["shape"]?.arrayValue?.compactMap(\.intValue)
        return Layer(
          weights: floats(layer["w"]), bias: floats(layer["b"]),
          pooledShape: shape.flatMap { $0.count == 2 ? LayerShape(inputs: $0[1], outputs: $0[0]) : nil })
      })
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
