/// A whole training step, with the fast path fused: for plain SGD without
/// L2 (and no statistics wanted), each layer's update goes straight into W
/// as `W ← W − η·dZ·Aᵀ` (one GEMM with β = 1), right after `dX = Wᵀ·dZ` has
/// used the old W; ∂J/∂W is never written out (`SGDBackward`, which on two
/// threads runs the updates beside the chain of dX).
extension Network {
  /// Forward, backward and update on one mini-batch.
  public mutating func trainingStep(
    input x: UnsafePointer<Float>, targets y: UnsafePointer<Float>, batch: Int, optimizer: inout Optimizer,
    l2: Float = 0, workspace ws: Workspace
  ) {
    forward(x, batch: batch, workspace: ws)
    backwardAndUpdate(input: x, targets: y, batch: batch, optimizer: &optimizer, l2: l2, workspace: ws)
  }

  /// Backward and update after `forward` on the same `x`. With `updateNorms`
  /// (statistics), or an optimiser other than plain SGD, or L2, the gradients
  /// are written to the workspace first and the optimiser applies them.
  public mutating func backwardAndUpdate(
    input x: UnsafePointer<Float>, targets y: UnsafePointer<Float>, batch b: Int, optimizer: inout Optimizer,
    l2: Float = 0, workspace ws: Workspace, updateNorms: UnsafeMutableBufferPointer<Double>? = nil
  ) {
    guard optimizer.kind == .sgd, l2 == 0, updateNorms == nil else {
      backward(input: x, targets: y, batch: b, l2: l2, workspace: ws)
      optimizer.step(&self, gradients: ws, updateNorms: updateNorms)
      return
    }
    let last = layers.count - 1
    loss.outputGradient(
      output: outputActivation, predictions: ws.activations[last], targets: y,
      delta: ws.deltas[last], units: outputWidth, batch: b, kernels: ws.kernels)
    let backward = ws.sgdBackward
    let eta = optimizer.learningRate
    withLayersInPlace(binding: backward) {
      backward.run(input: x, batch: b, eta: eta, parallel: ws.stepInParallel)
    }
    optimizer.countStep()
  }

  /// Calls `body` with every layer's W and b in place, their addresses (and
  /// the layers' activations) in `backward`'s table: each array made unique
  /// first, as any write in place makes it, and all of them held at once,
  /// so two threads may update two layers.
  private mutating func withLayersInPlace(binding backward: SGDBackward, _ body: () -> Void) {
    layers.withUnsafeMutableBufferPointer { layers in
      Self.bind(layers, from: 0, backward, body)
    }
  }

  private static func bind(
    _ layers: UnsafeMutableBufferPointer<DenseLayer>, from l: Int, _ backward: SGDBackward, _ body: () -> Void
  ) {
    guard l < layers.count else { return body() }
    layers[l].weights.storage.withUnsafeMutableBufferPointer { w in
      layers[l].bias.withUnsafeMutableBufferPointer { bias in
        backward.layers[l].weights = w.baseAddress!
        backward.layers[l].bias = bias.baseAddress!
        backward.layers[l].activation = layers[l].activation
        bind(layers, from: l + 1, backward, body)
      }
    }
  }
}
