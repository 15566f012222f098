import Synchronization

/// Backward and update for plain SGD, fused: layer l's `dX = Wᵀ·dZ` reads
/// the old W, then `W ← W − η·dZ·Aᵀ` and `b ← b − η·dZ·1` go into the layer
/// in place (∂J/∂W is never written out).
///
/// The work is two chains. The **chain** goes down the layers: dX of layer
/// l, then σ' of layer l − 1, each waiting on the one before. The
/// **updates** of layers L … 2 each need only their dZ and the chain's word
/// that dX has read the old W (`dXDone`), so on two threads they run beside
/// the chain, off its critical path; the first layer's update, the last
/// product of the step, stays on the chain's thread. On one thread (or when
/// the products are large enough to be split instead) the chain does each
/// update right after its dX. Either way every value is computed by the same
/// operations from the same operands: the results are the same to the bit.
///
/// Owned by a `Workspace` and reused, so a step allocates nothing.
///
/// `@unchecked Sendable` is safe: the layer table and `step` are written
/// by the stepping thread only before `ParallelRunner.run` (whose opening of a
/// job is sequentially consistent) and only read inside it. Inside, the
/// chain writes dX, σ' and the first layer's W and b; the updates write the
/// other layers' W and b. The updates read a layer's dZ and write its W
/// only after loading (acquiring) a `dXDone` at or below that layer, which
/// the chain stores (releasing) after that layer's dZ is final and its dX
/// has read W, and after which the chain touches neither again.
final class SGDBackward: ParallelTask, @unchecked Sendable {
  /// One layer as the pass sees it.
  struct Layer {
    /// Bound for each step: W `(out, in)` and b `(out)` in place, and the activation.
    var weights, bias: UnsafeMutablePointer<Float>
    var activation: Activation
    let inputs, units: Int
    /// The workspace's A `(units, capacity)` and dZ `(units, capacity)`.
    let output, delta: UnsafeMutablePointer<Float>
  }
  /// Per layer, first to last.
  let layers: UnsafeMutablePointer<Layer>
  let layerCount: Int
  private let context: GEMMContext
  private let kernels: KernelSet
  /// The lowest layer whose dX is done this step (the layer count: none yet).
  private let dXDone = Atomic<Int>(0)

  /// One step's operands, read once by each entry (a class's stored `var`
  /// costs an exclusivity check at every access).
  private struct Step {
    var input: UnsafePointer<Float>
    var batch: Int
    var eta: Float
    var overlapped: Bool
  }
  private var step: Step?
  /// Per example: the multiply-adds of the updates of layers L … 2, and of
  /// the largest product.
  private let movedPerExample, largestPerExample: Int

  /// Multiply-adds of the updates moved off the chain below which one
  /// thread does it all: handing work over costs about a microsecond a step
  /// and the moved weights' trip between the cores' caches. Measured on a
  /// Zen 4 (BENCHMARKS.md): deep's 919k gained, spirals' 137k lost.
  static let overlapMinimum = 256 * 1024

  init(widths: [Int], outputs: [UnsafeMutablePointer<Float>], deltas: [UnsafeMutablePointer<Float>], context: GEMMContext) {
    layerCount = widths.count - 1
    self.context = context
    kernels = context.kernels
    layers = .allocate(capacity: layerCount)
    // W and b point at dZ until the first step binds the layer's own.
    for l in 0..<layerCount {
      (layers + l).initialize(to: Layer(
        weights: deltas[l], bias: deltas[l], activation: .linear, inputs: widths[l], units: widths[l + 1],
        output: outputs[l], delta: deltas[l]))
    }
    let products = (1..<widths.count).map { widths[$0] * widths[$0 - 1] }
    movedPerExample = products.dropFirst().reduce(0, +)
    largestPerExample = products.max() ?? 0
  }

  deinit {
    layers.deinitialize(count: layerCount)
    layers.deallocate()
  }

  /// Runs the step's backward pass and update, from the output layer's dZ
  /// (already in the workspace) and the layers bound for this step: beside
  /// each other on the context's threads when `parallel` and `overlaps`,
  /// else on the caller.
  func run(input x: UnsafePointer<Float>, batch: Int, eta: Float, parallel: Bool) {
    let step = Step(input: x, batch: batch, eta: eta, overlapped: parallel && overlaps(batch: batch))
    dXDone.store(layerCount, ordering: .relaxed)
    if step.overlapped, let runner = context.runner {
      self.step = step
      runner.run(items: layerCount, self)
      self.step = nil
    } else {
      chain(step, thread: nil)
    }
  }

  /// Whether steps of `batch` examples may run the updates beside the chain.
  func overlaps(batch: Int) -> Bool {
    context.threadCount > 1 && movedPerExample * batch >= Self.overlapMinimum && largestPerExample * batch < GEMMContext.parallelLimit
  }

  /// Item 0, the chain; item i ≥ 1, the update of layer L + 1 − i (of
  /// layers L … 2, in the order their dX is done). Items are claimed in
  /// order, so the chain is always someone's before an update waits on it;
  /// and a worker that is descheduled holds up at most the one update it
  /// has, the caller taking the rest once its chain is done.
  func run(item: Int, participant: Int) {
    guard let step else { return }
    if item == 0 {
      chain(step, thread: participant)
    } else {
      let l = layerCount - item
      while dXDone.load(ordering: .acquiring) > l { KernelSet.spinPause() }
      update(l, step, thread: participant)
    }
  }

  /// Down the layers: dX, (on one thread: the update), σ' of the layer below;
  /// the first layer's update last.
  private func chain(_ step: Step, thread: Int?) {
    let batch = step.batch
    for l in stride(from: layerCount - 1, through: 1, by: -1) {
      let layer = layers[l], below = layers[l - 1]
      // dX = Wᵀ·dZ (in, batch), with the old W.
      gemm(
        .transposed, .none, m: layer.inputs, n: batch, k: layer.units, alpha: 1, a: layer.weights, lda: layer.inputs,
        b: layer.delta, ldb: batch, beta: 0, c: below.delta, ldc: batch, context: context, thread: thread)
      dXDone.store(l, ordering: .releasing)
      if !step.overlapped { update(l, step, thread: thread) }
      // dZ⁽ˡ⁻¹⁾ = (W⁽ˡ⁾ᵀ dZ⁽ˡ⁾) ⊙ σ'(Z⁽ˡ⁻¹⁾)
      below.activation.multiplyDerivative(below.delta, activation: below.output, count: below.units * batch, kernels: kernels)
    }
    update(0, step, thread: thread)
  }

  /// Layer l: `W ← W − η·dZ·Aᵀ` (out, in) and `b ← b − η·dZ·1`.
  private func update(_ l: Int, _ step: Step, thread: Int?) {
    let layer = layers[l], batch = step.batch, eta = step.eta
    let a = l == 0 ? step.input : UnsafePointer(layers[l - 1].output)
    gemm(
      .none, .transposed, m: layer.units, n: layer.inputs, k: batch, alpha: -eta, a: layer.delta, lda: batch,
      b: a, ldb: batch, beta: 1, c: layer.weights, ldc: layer.inputs, context: context, thread: thread,
      skippingZerosOfA: layer.activation.zeroGradientWhenOff)
    kernels.rowSums(layer.delta, rows: layer.units, cols: batch, alpha: -eta, into: layer.bias, accumulate: true)
  }
}
