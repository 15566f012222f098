/// Why a layer stack is not a valid network.
public struct ArchitectureError: Error, CustomStringConvertible, Equatable {
  public let description: String
  public init(_ description: String) { self.description = description }
}

/// A multi-layer perceptron: dense layers, the last one's activation being
/// the output (linear, sigmoid or softmax), and the loss J.
public struct Network: Sendable, Equatable {
  public var layers: [DenseLayer]
  public var loss: Loss

  /// A network from its layers; checks that shapes chain, that softmax is
  /// only on the output and that the loss fits the output.
  public init(layers: [DenseLayer], loss: Loss) throws(ArchitectureError) {
    guard let last = layers.last else { throw ArchitectureError("a network needs at least one layer") }
    for (l, layer) in layers.enumerated() {
      guard layer.inputs > 0, layer.outputs > 0 else {
        throw ArchitectureError("layer \(l + 1) has a zero width (\(layer.inputs)→\(layer.outputs))")
      }
      if l > 0, layers[l - 1].outputs != layer.inputs {
        throw ArchitectureError("layer \(l + 1) takes \(layer.inputs) inputs but layer \(l) gives \(layers[l - 1].outputs)")
      }
      if l < layers.count - 1, layer.activation == .softmax {
        throw ArchitectureError("softmax is an output activation, not a hidden one (layer \(l + 1))")
      }
    }
    guard Activation.outputChoices.contains(last.activation) else {
      throw ArchitectureError("the output activation must be linear, sigmoid or softmax, not \(last.activation.rawValue)")
    }
    guard loss.isCompatible(with: last.activation) else {
      throw ArchitectureError("\(loss.rawValue) needs probabilities: use a sigmoid or softmax output, not \(last.activation.rawValue)")
    }
    self.layers = layers
    self.loss = loss
  }

  /// A freshly initialised network of widths `sizes = [in, h₁, …, out]`.
  public init(
    sizes: [Int], hidden: Activation, output: Activation, loss: Loss,
    initializer: Initializer = .auto, gain: Float = 1, using rng: inout SeededGenerator
  ) throws(ArchitectureError) {
    guard sizes.count >= 2 else { throw ArchitectureError("a network needs an input and an output width") }
    if let bad = sizes.firstIndex(where: { $0 <= 0 }) {
      throw ArchitectureError("width \(sizes[bad]) at position \(bad + 1) of \(sizes.map(String.init).joined(separator: "-")): every layer needs at least one unit")
    }
    var layers: [DenseLayer] = []
    for l in 1..<sizes.count {
      let activation = l == sizes.count - 1 ? output : hidden
      let w = initializer.weights(fanIn: sizes[l - 1], fanOut: sizes[l], activation: activation, gain: gain, using: &rng)
      layers.append(DenseLayer(weights: w, bias: Array(repeating: 0, count: sizes[l]), activation: activation))
    }
    try self.init(layers: layers, loss: loss)
  }

  public var inputWidth: Int { layers[0].inputs }
  public var outputWidth: Int { layers[layers.count - 1].outputs }
  public var outputActivation: Activation { layers[layers.count - 1].activation }
  public var parameterCount: Int { layers.reduce(0) { $0 + $1.parameterCount } }
  /// Widths joined by dashes, e.g. `64-128-10`.
  public var shapeDescription: String {
    ([inputWidth] + layers.map(\.outputs)).map(String.init).joined(separator: "-")
  }

  /// The L2 penalty (λ/2)·Σ‖W‖² (biases excluded).
  public func penalty(l2: Float) -> Double {
    guard l2 != 0 else { return 0 }
    let sum = layers.reduce(0.0) { acc, layer in
      acc + layer.weights.storage.reduce(0.0) { $0 + Double($1) * Double($1) }
    }
    return 0.5 * Double(l2) * sum
  }

  // MARK: - Forward and backward over a workspace

  /// Forward pass of `batch` examples `x` `(in, batch)`; the output `(out, batch)`
  /// and every layer's activations stay in `workspace`.
  public func forward(_ x: UnsafePointer<Float>, batch: Int, workspace ws: Workspace) {
    precondition(batch > 0 && batch <= ws.capacity, "batch \(batch) outside workspace capacity \(ws.capacity)")
    if ws.beginStep(batch: batch) && ws.splitForward.applies(batch: batch) {
      return splitForward(x, batch: batch, workspace: ws)
    }
    var input = x
    for l in layers.indices {
      let isOutput = l == layers.count - 1
      layers[l].forward(input, batch: batch, into: ws.activations[l], logits: isOutput ? ws.logits : nil, context: ws.gemm)
      input = UnsafePointer(ws.activations[l])
    }
  }

  /// The hidden layers in two blocks of examples on two threads, then the output layer.
  private func splitForward(_ x: UnsafePointer<Float>, batch: Int, workspace ws: Workspace) {
    let split = ws.splitForward, last = layers.count - 1
    layers.withUnsafeBufferPointer { layers in
      Self.bindHidden(layers, from: 0, split) { split.run(input: x, batch: batch) }
    }
    layers[last].forward(
      ws.activations[last - 1], batch: batch, into: ws.activations[last], logits: ws.logits, context: ws.gemm)
  }

  /// Calls `body` with the hidden layers' W and b (read only) in `split`'s table.
  private static func bindHidden(
    _ layers: UnsafeBufferPointer<DenseLayer>, from l: Int, _ split: SplitForward, _ body: () -> Void
  ) {
    guard l < split.hiddenCount else { return body() }
    layers[l].weights.storage.withUnsafeBufferPointer { w in
      layers[l].bias.withUnsafeBufferPointer { b in
        split.layers[l].weights = w.baseAddress!
        split.layers[l].bias = b.baseAddress!
        split.layers[l].activation = layers[l].activation
        bindHidden(layers, from: l + 1, split, body)
      }
    }
  }

  /// The mean data loss of the last forward pass against targets `y` `(out, batch)`.
  public func lossValue(targets y: UnsafePointer<Float>, batch: Int, workspace ws: Workspace) -> Double {
    loss.value(
      output: outputActivation, logits: ws.logits, predictions: ws.activations[layers.count - 1],
      targets: y, units: outputWidth, batch: batch, kernels: ws.kernels)
  }

  /// Backpropagation after `forward` on the same `x`: fills the workspace's
  /// ∂J/∂W and ∂J/∂b for J = loss + (λ/2)·Σ‖W‖².
  public func backward(input x: UnsafePointer<Float>, targets y: UnsafePointer<Float>, batch: Int, l2: Float = 0, workspace ws: Workspace) {
    let last = layers.count - 1
    loss.outputGradient(
      output: outputActivation, predictions: ws.activations[last], targets: y,
      delta: ws.deltas[last], units: outputWidth, batch: batch, kernels: ws.kernels)
    for l in stride(from: last, through: 0, by: -1) {
      let input = l == 0 ? x : UnsafePointer(ws.activations[l - 1])
      layers[l].backward(
        dZ: ws.deltas[l], input: input, batch: batch, dW: ws.weightGradients[l], db: ws.biasGradients[l],
        dX: l == 0 ? nil : ws.deltas[l - 1], l2: l2, context: ws.gemm)
      if l > 0 {
        // dZ⁽ˡ⁻¹⁾ = (W⁽ˡ⁾ᵀ dZ⁽ˡ⁾) ⊙ σ'(Z⁽ˡ⁻¹⁾)
        layers[l - 1].activation.multiplyDerivative(
          ws.deltas[l - 1], activation: ws.activations[l - 1], count: layers[l - 1].outputs * batch, kernels: ws.kernels)
      }
    }
  }

  // MARK: - Whole matrices (tests, prediction, the worked example)

  /// The network's output `(out, n)` for inputs `x` `(in, n)`.
  public func predict(_ x: Matrix) -> Matrix {
    precondition(x.rows == inputWidth, "input has \(x.rows) features, the network takes \(inputWidth)")
    let ws = Workspace(network: self, capacity: max(x.cols, 1))
    x.storage.withUnsafeBufferPointer { forward($0.baseAddress!, batch: x.cols, workspace: ws) }
    return ws.output(batch: x.cols)
  }

  /// The objective J = loss + (λ/2)·Σ‖W‖² on `(x, y)` and its gradients.
  public func lossAndGradients(x: Matrix, y: Matrix, l2: Float = 0, kernels: KernelSet = .active) -> (loss: Double, gradients: Gradients) {
    precondition(x.rows == inputWidth && y.rows == outputWidth && x.cols == y.cols, "x \(x.shape) / y \(y.shape) do not fit \(shapeDescription)")
    let ws = Workspace(network: self, capacity: x.cols, kernels: kernels)
    let loss = x.storage.withUnsafeBufferPointer { xb in
      y.storage.withUnsafeBufferPointer { yb in
        forward(xb.baseAddress!, batch: x.cols, workspace: ws)
        let value = lossValue(targets: yb.baseAddress!, batch: x.cols, workspace: ws)
        backward(input: xb.baseAddress!, targets: yb.baseAddress!, batch: x.cols, l2: l2, workspace: ws)
        return value
      }
    }
    return (loss + penalty(l2: l2), ws.gradients)
  }

  /// The objective J = loss + (λ/2)·Σ‖W‖² on `(x, y)`.
  public func objective(x: Matrix, y: Matrix, l2: Float = 0, kernels: KernelSet = .active) -> Double {
    let ws = Workspace(network: self, capacity: x.cols, kernels: kernels)
    return x.storage.withUnsafeBufferPointer { xb in
      y.storage.withUnsafeBufferPointer { yb in
        forward(xb.baseAddress!, batch: x.cols, workspace: ws)
        return lossValue(targets: yb.baseAddress!, batch: x.cols, workspace: ws) + penalty(l2: l2)
      }
    }
  }
}
