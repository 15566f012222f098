/// Buffers for one network's forward and backward passes at up to `capacity`
/// examples, allocated once so a training step allocates nothing.
///
/// A batch of `b ≤ capacity` examples uses the first `width · b` floats of
/// each buffer, with row stride `b`.
public final class Workspace {
  public let capacity: Int
  /// Layer widths `[in, h₁, …, out]`.
  public let widths: [Int]
  /// A⁽ˡ⁾ for layers 1…L (index l−1): `(widths[l], capacity)`.
  let activations: [UnsafeMutablePointer<Float>]
  /// Z⁽ᴸ⁾, the output layer's logits: `(out, capacity)`.
  let logits: UnsafeMutablePointer<Float>
  /// ∂J/∂Z⁽ˡ⁾ for layers 1…L: `(widths[l], capacity)`.
  let deltas: [UnsafeMutablePointer<Float>]
  /// ∂J/∂W⁽ˡ⁾ `(out, in)` and ∂J/∂b⁽ˡ⁾ `(out)` of the last backward pass.
  let weightGradients: [UnsafeMutablePointer<Float>]
  let biasGradients: [UnsafeMutablePointer<Float>]
  /// Packing buffers for the GEMM kernel.
  public let gemm: GEMMContext
  /// Plain SGD's fused backward pass and update, on one thread or two.
  let sgdBackward: SGDBackward
  /// The hidden layers' forward pass split by examples over two threads.
  let splitForward: SplitForward
  /// Whether steps take those two-thread paths, by timing both ways.
  private var choice = TwoThreadChoice()
  /// When the last forward pass that could take them began, and its batch.
  private var stepStart: ContinuousClock.Instant?
  private var stepBatch = 0
  /// Whether the step under way takes the two-thread paths.
  private(set) var stepInParallel = true

  /// The instruction set's kernels every pass over this workspace runs on.
  public var kernels: KernelSet { gemm.kernels }

  /// - Parameters:
  ///   - runner: threads for the large matrix products (nil: one thread).
  ///   - kernels: the instruction set's kernels (tests force each).
  public init(network: Network, capacity: Int, runner: ParallelRunner? = nil, kernels: KernelSet = .active) {
    precondition(capacity > 0, "workspace capacity must be positive")
    self.capacity = capacity
    widths = [network.inputWidth] + network.layers.map(\.outputs)
    func buffer(_ count: Int) -> UnsafeMutablePointer<Float> {
      let p = UnsafeMutablePointer<Float>.allocate(capacity: max(count, 1))
      p.initialize(repeating: 0, count: max(count, 1))
      return p
    }
    activations = network.layers.map { buffer($0.outputs * capacity) }
    deltas = network.layers.map { buffer($0.outputs * capacity) }
    logits = buffer(network.outputWidth * capacity)
    weightGradients = network.layers.map { buffer($0.weights.count) }
    biasGradients = network.layers.map { buffer($0.outputs) }
    gemm = GEMMContext(runner: runner, kernels: kernels)
    sgdBackward = SGDBackward(widths: widths, outputs: activations, deltas: deltas, context: gemm)
    splitForward = SplitForward(widths: widths, outputs: activations, context: gemm)
  }

  deinit {
    for p in activations + deltas + weightGradients + biasGradients { p.deallocate() }
    logits.deallocate()
  }

  /// Called by `Network.forward` as a pass begins: whether this step takes
  /// the two-thread paths it may (`splitsForward`, `overlapsBackward`).
  /// The time since the last such pass of the same batch is the last step's,
  /// for `TwoThreadChoice`; a workspace with no such path reads no clock.
  @inline(__always)
  func beginStep(batch: Int) -> Bool {
    gemm.threadCount > 1 && timeStep(batch: batch)
  }

  private func timeStep(batch: Int) -> Bool {
    guard splitForward.applies(batch: batch) || sgdBackward.overlaps(batch: batch) else { return false }
    let now = ContinuousClock.now
    if let start = stepStart, stepBatch == batch { choice.record(now - start) }
    stepStart = now
    stepBatch = batch
    stepInParallel = choice.parallel
    return stepInParallel
  }

  /// Whether a plain-SGD step of `batch` examples may run the layers' updates
  /// beside the chain of dX, on two threads (`SGDBackward`): with a runner
  /// of two or more threads, products too small to be split, and enough
  /// update work to move.
  public func overlapsBackward(batch: Int) -> Bool { sgdBackward.overlaps(batch: batch) }

  /// Whether a forward pass of `batch` examples may take the hidden layers in
  /// two blocks of examples, one a thread (`SplitForward`).
  public func splitsForward(batch: Int) -> Bool { splitForward.applies(batch: batch) }

  /// Whether this workspace was made for a network of these widths.
  public func fits(_ network: Network) -> Bool {
    widths == [network.inputWidth] + network.layers.map(\.outputs)
  }

  /// The output of the last forward pass, `(out, batch)`.
  public func output(batch: Int) -> Matrix {
    Matrix(rows: widths.last!, cols: batch, storage: Array(UnsafeBufferPointer(start: activations.last!, count: widths.last! * batch)))
  }

  /// Layer `l`'s activations from the last forward pass, `(width, batch)`.
  public func activation(layer l: Int, batch: Int) -> UnsafeBufferPointer<Float> {
    UnsafeBufferPointer(start: activations[l], count: widths[l + 1] * batch)
  }

  /// Copies of the gradients of the last backward pass.
  public var gradients: Gradients {
    Gradients(
      weights: (0..<weightGradients.count).map { l in
        Matrix(rows: widths[l + 1], cols: widths[l], storage: Array(UnsafeBufferPointer(start: weightGradients[l], count: widths[l + 1] * widths[l])))
      },
      biases: (0..<biasGradients.count).map { l in Array(UnsafeBufferPointer(start: biasGradients[l], count: widths[l + 1])) })
  }

  /// Layer `l`'s ∂J/∂W, in place.
  public func weightGradient(layer l: Int) -> UnsafeBufferPointer<Float> {
    UnsafeBufferPointer(start: weightGradients[l], count: widths[l + 1] * widths[l])
  }

  /// Layer `l`'s ∂J/∂b, in place.
  public func biasGradient(layer l: Int) -> UnsafeBufferPointer<Float> {
    UnsafeBufferPointer(start: biasGradients[l], count: widths[l + 1])
  }
}

/// ∂J/∂W and ∂J/∂b for every layer.
public struct Gradients: Sendable, Equatable {
  public var weights: [Matrix]  // per layer (out, in)
  public var biases: [[Float]]  // per layer (out)
}
