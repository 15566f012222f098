/// A whole training step, with the fast path fused: for plain SGD without
/// L2 (and no statistics wanted), each layer's update goes straight into W
/// as `W ← W − η·dZ·Aᵀ` (one GEMM with β = 1), right after `dX = Wᵀ·dZ` has
/// used the old W; ∂J/∂W is never written out.
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
    let eta = optimizer.learningRate
    let last = layers.count - 1
    loss.outputGradient(
      output: outputActivation, predictions: ws.activations[last], targets: y,
      delta: ws.deltas[last], units: outputWidth, batch: b, kernels: ws.kernels)
    for l in stride(from: last, through: 0, by: -1) {
      let input = l == 0 ? x : UnsafePointer(ws.activations[l - 1])
      layers[l].backwardAndUpdate(
        dZ: ws.deltas[l], input: input, batch: b, dX: l == 0 ? nil : ws.deltas[l - 1], eta: eta, context: ws.gemm)
      if l > 0 {
        layers[l - 1].activation.multiplyDerivative(
          ws.deltas[l - 1], activation: ws.activations[l - 1], count: layers[l - 1].outputs * b, kernels: ws.kernels)
      }
    }
    optimizer.countStep()
  }
}

extension DenseLayer {
  /// `dX = Wᵀ·dZ` (in, batch) with the old W, then `W ← W − η·dZ·xᵀ` and
  /// `b ← b − η·dZ·1` in place.
  mutating func backwardAndUpdate(
    dZ: UnsafePointer<Float>, input x: UnsafePointer<Float>, batch: Int, dX: UnsafeMutablePointer<Float>?,
    eta: Float, context: GEMMContext
  ) {
    let (inputs, outputs) = (self.inputs, self.outputs)
    weights.storage.withUnsafeMutableBufferPointer { wb in
      let w = wb.baseAddress!
      if let dX {
        gemm(
          .transposed, .none, m: inputs, n: batch, k: outputs, alpha: 1, a: w, lda: inputs,
          b: dZ, ldb: batch, beta: 0, c: dX, ldc: batch, context: context)
      }
      gemm(
        .none, .transposed, m: outputs, n: inputs, k: batch, alpha: -eta, a: dZ, lda: batch,
        b: x, ldb: batch, beta: 1, c: w, ldc: inputs, context: context)
    }
    bias.withUnsafeMutableBufferPointer { bias in
      for r in 0..<outputs { bias[r] -= eta * context.kernels.sum(dZ + r * batch, count: batch) }
    }
  }
}
