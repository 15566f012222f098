/// One fully connected layer, A = σ(W·A⁽ˡ⁻¹⁾ + b), with its forward and
/// backward passes side by side. Matrices hold one column per example.
public struct DenseLayer: Sendable, Equatable {
  public var weights: Matrix  // (out, in)
  public var bias: [Float]  // (out)
  public var activation: Activation

  public init(weights: Matrix, bias: [Float], activation: Activation) {
    precondition(bias.count == weights.rows, "bias has \(bias.count) values for \(weights.rows) units")
    self.weights = weights
    self.bias = bias
    self.activation = activation
  }

  public var inputs: Int { weights.cols }
  public var outputs: Int { weights.rows }
  public var parameterCount: Int { weights.count + bias.count }

  /// Forward: `a = σ(W·x + b)`.
  /// - Parameters:
  ///   - x: the input, `(in, batch)`.
  ///   - a: the output, `(out, batch)`.
  ///   - z: where to keep the logits `W·x + b`, `(out, batch)` (the output layer's loss needs them); nil to skip.
  func forward(
    _ x: UnsafePointer<Float>, batch: Int, into a: UnsafeMutablePointer<Float>,
    logits z: UnsafeMutablePointer<Float>?, context: GEMMContext
  ) {
    weights.storage.withUnsafeBufferPointer { w in
      bias.withUnsafeBufferPointer { b in
        Self.forward(
          weights: w.baseAddress!, bias: b.baseAddress!, activation: activation, inputs: inputs, outputs: outputs,
          x, columns: batch, ld: batch,
          into: a, logits: z, context: context)
      }
    }
  }

  /// The forward pass on a layer's W `(out, in)` and b `(out)` in place:
  /// `columns` examples of x `(in, ·)` and a `(out, ·)`, rows `ld` floats
  /// apart (a block of a wider batch's columns, without logits); with
  /// `thread`, on that participant of the context's runner alone.
  @inline(__always)
  static func forward(
    weights w: UnsafePointer<Float>, bias b: UnsafePointer<Float>, activation: Activation, inputs: Int, outputs: Int,
    _ x: UnsafePointer<Float>, columns: Int, ld: Int, into a: UnsafeMutablePointer<Float>,
    logits z: UnsafeMutablePointer<Float>? = nil, context: GEMMContext, thread: Int? = nil
  ) {
    gemm(
      .none, .none, m: outputs, n: columns, k: inputs, alpha: 1, a: w, lda: inputs,
      b: x, ldb: ld, beta: 0, c: z ?? a, ldc: ld, context: context, thread: thread)
    if let z {
      precondition(ld == columns, "logits of a block of columns")
      Activation.linear.forward(z, bias: b, units: outputs, batch: columns, kernels: context.kernels)
      a.update(from: z, count: outputs * columns)
      activation.forward(a, bias: nil, units: outputs, batch: columns, kernels: context.kernels)
    } else {
      activation.forward(a, ld: ld, bias: b, units: outputs, batch: columns, kernels: context.kernels)
    }
  }

  /// Backward, from `dZ = ∂J/∂Z` of this layer:
  /// `dW = dZ·xᵀ + λW` (out, in), `db = dZ·1` (out), and, when `dX` is given,
  /// `dX = Wᵀ·dZ` (in, batch) — ∂J/∂A of the layer below, before its σ'.
  func backward(
    dZ: UnsafePointer<Float>, input x: UnsafePointer<Float>, batch: Int,
    dW: UnsafeMutablePointer<Float>, db: UnsafeMutablePointer<Float>, dX: UnsafeMutablePointer<Float>?,
    l2: Float, context: GEMMContext
  ) {
    weights.storage.withUnsafeBufferPointer { wb in
      let w = wb.baseAddress!
      gemm(
        .none, .transposed, m: outputs, n: inputs, k: batch, alpha: 1, a: dZ, lda: batch,
        b: x, ldb: batch, beta: 0, c: dW, ldc: inputs, context: context,
        skippingZerosOfA: activation.zeroGradientWhenOff)
      if l2 != 0 {
        for i in 0..<weights.count { dW[i] += l2 * w[i] }
      }
      if let dX {
        gemm(
          .transposed, .none, m: inputs, n: batch, k: outputs, alpha: 1, a: w, lda: inputs,
          b: dZ, ldb: batch, beta: 0, c: dX, ldc: batch, context: context)
      }
    }
    context.kernels.rowSums(dZ, rows: outputs, cols: batch, into: db)
  }
}
