/// The hidden layers' forward pass split by examples over two threads: each
/// takes a block of the batch's columns through every hidden layer, with no
/// word between them until both are done; the output layer (its logits,
/// softmax and loss want whole rows) then runs on the caller.
///
/// A column of Z is the same sum whichever block it is in: both blocks and
/// the whole batch take the blocked product (`applies` demands it), whose
/// sums run along k in the same order for every column, and σ is elementwise.
/// So the activations, and the step, are the same to the bit as on one thread.
///
/// Owned by a `Workspace` and reused, so a forward pass allocates nothing.
///
/// `@unchecked Sendable` is safe: the layer table and `step` are written by
/// the calling thread only before `ParallelRunner.run` (whose opening of a
/// job is sequentially consistent) and only read inside it; inside, each
/// item writes only its own columns of the activations, and reads W, b and
/// the input, which nothing writes during the pass.
final class SplitForward: ParallelTask, @unchecked Sendable {
  /// One hidden layer as the pass sees it.
  struct Layer {
    /// Bound for each pass: W `(out, in)` and b `(out)` in place, and the activation.
    var weights, bias: UnsafePointer<Float>
    var activation: Activation
    let inputs, units: Int
    /// The workspace's A `(units, capacity)`.
    let output: UnsafeMutablePointer<Float>
  }
  /// The hidden layers (all but the output layer), first to last.
  let layers: UnsafeMutablePointer<Layer>
  let hiddenCount: Int
  private let context: GEMMContext
  /// Per example: the hidden layers' multiply-adds, and their largest product's.
  private let hiddenPerExample, largestPerExample: Int
  /// The smallest hidden product per example column (`units · inputs`).
  private let smallestPerColumn: Int

  private struct Step {
    var input: UnsafePointer<Float>
    var batch: Int
    var split: Int
  }
  private var step: Step?

  /// Hidden multiply-adds a pass below which one thread does it all: the
  /// hand-over costs about a microsecond, and the layer above then reads
  /// half its input from the other core's cache. Measured on a Zen 4
  /// (BENCHMARKS.md): deep's 983k gained (1.11× AVX2, 1.05× AVX-512 at two
  /// threads), digits' 524k lost (0.93×).
  static let minimum = 768 * 1024

  init(widths: [Int], outputs: [UnsafeMutablePointer<Float>], context: GEMMContext) {
    hiddenCount = widths.count - 2
    self.context = context
    layers = .allocate(capacity: max(hiddenCount, 1))
    // W and b point at A until a pass binds the layer's own.
    for l in 0..<hiddenCount {
      (layers + l).initialize(to: Layer(
        weights: outputs[l], bias: outputs[l], activation: .linear, inputs: widths[l], units: widths[l + 1],
        output: outputs[l]))
    }
    let products = (1..<max(widths.count - 1, 1)).map { widths[$0] * widths[$0 - 1] }
    hiddenPerExample = products.reduce(0, +)
    largestPerExample = products.max() ?? 0
    smallestPerColumn = products.min() ?? 0
  }

  deinit {
    layers.deinitialize(count: hiddenCount)
    layers.deallocate()
  }

  /// Where a batch is cut: half, at a whole vector where the half has one.
  func split(batch: Int) -> Int {
    let half = batch / 2, lanes = context.kernels.lanes
    return half >= lanes ? half / lanes * lanes : half
  }

  /// Whether a pass of `batch` examples is split: two threads, enough
  /// hidden work, no product large enough to be split itself, and every
  /// product of either block (so of the whole batch) past the direct loops.
  func applies(batch: Int) -> Bool {
    guard context.threadCount > 1, hiddenCount > 0 else { return false }
    let narrowest = min(split(batch: batch), batch - split(batch: batch))
    return hiddenPerExample * batch >= Self.minimum && largestPerExample * batch < GEMMContext.parallelLimit
      && smallestPerColumn * narrowest > GEMMContext.directLimit
  }

  /// The hidden layers' forward pass on `batch` columns of `x` `(in, batch)`,
  /// with the layers bound; the caller checked `applies(batch:)`.
  func run(input x: UnsafePointer<Float>, batch: Int) {
    guard let runner = context.runner else { preconditionFailure("a split forward pass without threads") }
    step = Step(input: x, batch: batch, split: split(batch: batch))
    runner.run(items: 2, self)
    step = nil
  }

  /// Item 0: the columns before the cut; item 1: the rest.
  func run(item: Int, participant: Int) {
    guard let step else { return }
    let first = item == 0 ? 0 : step.split, columns = item == 0 ? step.split : step.batch - step.split
    var input = step.input + first
    for l in 0..<hiddenCount {
      let layer = layers[l]
      DenseLayer.forward(
        weights: layer.weights, bias: layer.bias, activation: layer.activation, inputs: layer.inputs,
        outputs: layer.units, input, columns: columns, ld: step.batch, into: layer.output + first,
        context: context, thread: participant)
      input = UnsafePointer(layer.output + first)
    }
  }
}
