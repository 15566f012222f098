import Foundation
import NeuralNet
import Synchronization
import Testing
import TestSupport
import RunEvents
import Training
import PeerBenchmark

/// The worker threads that split large products: results equal the
/// single-threaded reference, and no job is ever lost.
@Suite(.serialized)
struct WorkerPoolTests {
  /// A task running a closure (tests may allocate; the engine reuses its tasks).
  final class ClosureTask: ParallelTask, Sendable {
    let body: @Sendable (Int, Int) -> Void
    init(_ body: @escaping @Sendable (Int, Int) -> Void) { self.body = body }
    func run(item: Int, participant: Int) { body(item, participant) }
  }

  /// What the items saw, behind a lock.
  ///
  /// An `NSLock`, not a `Mutex`: on Linux `Mutex` locks with futexes inside
  /// the uninstrumented Synchronization library, so ThreadSanitizer cannot
  /// see it and reports two threads modifying what it guards as a race
  /// (measured with a two-thread counter). `@unchecked Sendable` is safe:
  /// `counts` and `participants` are only touched while `lock` is held.
  final class Tally: @unchecked Sendable {
    private let lock = NSLock()
    private var counts = [Int](repeating: 0, count: 7)
    private var participants = Set<Int>()

    func record(item: Int, participant: Int) {
      lock.withLock {
        counts[item] += 1
        participants.insert(participant)
      }
    }

    var seen: (counts: [Int], participants: Set<Int>) { lock.withLock { (counts, participants) } }
  }

  @Test func everyItemRunsExactlyOnce() {
    let pool = WorkerPool(threads: 2)
    defer { pool.shutdown() }
    let tally = Tally()
    for _ in 0..<20_000 {
      pool.run(items: 7, ClosureTask { item, participant in tally.record(item: item, participant: participant) })
    }
    #expect(tally.seen.counts == Array(repeating: 20_000, count: 7))
    #expect(tally.seen.participants.isSubset(of: [0, 1]))
  }

  @Test func jobsAfterSleepingAndRightAfterStartAreNotLost() {
    // The first job can come before the worker thread runs; later ones after
    // it has gone to sleep on its condition.
    for _ in 0..<50 {
      let pool = WorkerPool(threads: 2)
      let hits = Atomic<Int>(0)
      pool.run(items: 64, ClosureTask { _, _ in hits.add(1, ordering: .relaxed) })
      #expect(hits.load(ordering: .relaxed) == 64)
      pool.shutdown()
    }
    let pool = WorkerPool(threads: 2)
    defer { pool.shutdown() }
    let hits = Atomic<Int>(0)
    let workerTookPart = Atomic<Bool>(false)
    for _ in 0..<5 {
      usleep(20_000)  // longer than the spin: the worker sleeps
      pool.run(items: 200, ClosureTask { _, participant in
        hits.add(1, ordering: .relaxed)
        if participant == 1 { workerTookPart.store(true, ordering: .relaxed) }
        usleep(50)
      })
    }
    #expect(hits.load(ordering: .relaxed) == 1000)
    let woken = workerTookPart.load(ordering: .relaxed)
    #expect(woken, "the sleeping worker was woken")
  }

  /// Split by row tiles (256 × 128 × 784; 128 × 784 × 256, 25 panels; 600 ×
  /// 96 × 32, several row blocks), by column panels (16 × 2048 × 40: fewer
  /// row tiles than two per thread), and too small to split.
  @Test(arguments: [(256, 128, 784), (600, 96, 32), (128, 784, 256), (16, 2048, 40), (64, 32, 64), (10, 300, 64), (250, 7, 129)])
  func parallelGEMMEqualsTheReference(shape: (Int, Int, Int)) {
    let (m, n, k) = shape
    let pool = WorkerPool(threads: 2)
    defer { pool.shutdown() }
    let context = GEMMContext(runner: pool)
    var rng = SeededGenerator(seed: 3)
    for (ta, tb) in [(Transpose.none, Transpose.none), (.transposed, .none), (.none, .transposed), (.transposed, .transposed)] {
      let a = (0..<(m * k)).map { _ in rng.uniform(-1, 1) }, b = (0..<(k * n)).map { _ in rng.uniform(-1, 1) }
      var fast = (0..<(m * n)).map { _ in rng.uniform(-1, 1) }
      var naive = fast
      a.withUnsafeBufferPointer { ap in
        b.withUnsafeBufferPointer { bp in
          let lda = ta == .none ? k : m, ldb = tb == .none ? n : k
          fast.withUnsafeMutableBufferPointer { cp in
            gemm(ta, tb, m: m, n: n, k: k, alpha: -0.5, a: ap.baseAddress!, lda: lda, b: bp.baseAddress!, ldb: ldb, beta: 1, c: cp.baseAddress!, ldc: n, context: context)
          }
          naive.withUnsafeMutableBufferPointer { cp in
            gemmNaive(ta, tb, m: m, n: n, k: k, alpha: -0.5, a: ap.baseAddress!, lda: lda, b: bp.baseAddress!, ldb: ldb, beta: 1, c: cp.baseAddress!, ldc: n)
          }
        }
      }
      #expect(maxAbsoluteDifference(fast, naive) < 1e-5 * Double(k).squareRoot() + 1e-6, "\(ta) \(tb) \(shape)")
    }
  }

  /// mnist's ∂J/∂W₁ split by row tiles, and a product with too few row
  /// tiles, split by column panels (16 × 2048 × 40): each thread lists its
  /// rows' nonzeros and packs its chunks of op(B) in its own buffers.
  @Test(arguments: [(256, 784, 128), (16, 2048, 40), (128, 256, 128)])
  func productsSkippingZerosOfASplitOverThreadsMatchOneThreadToTheBit(shape: (Int, Int, Int)) {
    let (m, n, k) = shape
    let pool = WorkerPool(threads: 2)
    defer { pool.shutdown() }
    var rng = SeededGenerator(seed: 5)
    let a = (0..<(m * k)).map { _ in rng.uniform(0, 1) < 0.5 ? 0 : rng.uniform(-1, 1) }
    let b = (0..<(n * k)).map { _ in rng.uniform(-1, 1) }
    let c0 = (0..<(m * n)).map { _ in rng.uniform(-1, 1) }
    var one = c0, two = c0
    a.withUnsafeBufferPointer { ap in
      b.withUnsafeBufferPointer { bp in
        one.withUnsafeMutableBufferPointer { cp in
          gemm(
            .none, .transposed, m: m, n: n, k: k, alpha: -0.01, a: ap.baseAddress!, lda: k, b: bp.baseAddress!, ldb: k, beta: 1,
            c: cp.baseAddress!, ldc: n, context: GEMMContext())
        }
        two.withUnsafeMutableBufferPointer { cp in
          gemm(
            .none, .transposed, m: m, n: n, k: k, alpha: -0.01, a: ap.baseAddress!, lda: k, b: bp.baseAddress!, ldb: k, beta: 1,
            c: cp.baseAddress!, ldc: n, context: GEMMContext(runner: pool), skippingZerosOfA: true)
        }
      }
    }
    #expect(zip(one, two).filter { $0.bitPattern != $1.bitPattern }.isEmpty)
  }

  @Test func benchmarkStepsMatchOnOneAndTwoThreads() throws {
    // The same seeded workload trained on one thread and on two (or three)
    // ends with the same weights to the bit: mnist's products split by rows
    // or panels (its ∂J/∂W₁ and ∂J/∂W₂ skipping ReLU's zeros) are the same
    // sums; the others split no product, and deep's forward pass in two
    // blocks of examples and its updates beside the chain of dX are the same
    // operations on the same operands.
    for (name, parallel) in [("digits", false), ("deep", true), ("spirals", false), ("tiny", false), ("mnist", false)] {
      let workload = try #require(BenchmarkWorkload.named(name))
      for threads in [2, 3] {
        let one = try BenchmarkRun(workload, threads: 1), many = try BenchmarkRun(workload, threads: threads)
        #expect(!one.overlapsBackward && !one.splitsForward)
        #expect(many.overlapsBackward == parallel, "\(name) on \(threads) threads")
        #expect(many.splitsForward == parallel, "\(name) on \(threads) threads")
        for _ in 0..<12 {
          one.step()
          many.step()
        }
        #expect(differingLayers(one.network, many.network) == [], "\(name) on \(threads) threads")
      }
    }
  }

  @Test func overlappedUpdatesStayExactOverManySteps() throws {
    // Many steps on two threads, each handing the updates over anew: a lost
    // or early hand-over (an update before dX has read the old W, or from a
    // half-made dZ) would show as weights that differ from one thread's.
    let workload = try #require(BenchmarkWorkload.named("deep"))
    let one = try BenchmarkRun(workload, threads: 1), two = try BenchmarkRun(workload, threads: 2)
    #expect(two.overlapsBackward && two.splitsForward)
    for _ in 0..<150 {
      one.step()
      two.step()
    }
    #expect(differingLayers(one.network, two.network) == [])
    let untrained = try BenchmarkRun(workload, threads: 1).network
    #expect(differingLayers(one.network, untrained).count == untrained.layers.count, "every layer trained")
  }

  @Test(arguments: KernelSet.supported)
  func splitForwardPassesMatchOneThreadToTheBit(kernels: KernelSet) throws {
    // Batches cut at a whole vector (37 → 16 + 21) or not (26 → 13 + 13
    // on AVX-512), every hidden activation the same bits: each block's
    // columns are the same sums as the whole batch's. A batch of 6 is not
    // split (too little work, and blocks of 3 would take the direct loops).
    var rng = SeededGenerator(seed: 21)
    let network = try Network(
      sizes: [32, 32, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 3], hidden: .sigmoid, output: .softmax,
      loss: .crossEntropy, using: &rng)
    let pool = WorkerPool(threads: 2)
    defer { pool.shutdown() }
    let one = Workspace(network: network, capacity: 37, kernels: kernels)
    let two = Workspace(network: network, capacity: 37, runner: pool, kernels: kernels)
    for batch in [37, 26, 6] {
      #expect(two.splitsForward(batch: batch) == (batch != 6), "batch \(batch)")
      let x = (0..<(32 * batch)).map { _ in rng.uniform(-2, 2) }
      x.withUnsafeBufferPointer {
        network.forward($0.baseAddress!, batch: batch, workspace: one)
        network.forward($0.baseAddress!, batch: batch, workspace: two)
      }
      for l in network.layers.indices {
        let a = Array(one.activation(layer: l, batch: batch)), b = Array(two.activation(layer: l, batch: batch))
        #expect(a.map(\.bitPattern) == b.map(\.bitPattern), "layer \(l), batch \(batch)")
      }
    }
  }

  /// The layers whose weights or biases differ in any bit.
  func differingLayers(_ a: Network, _ b: Network) -> [Int] {
    a.layers.indices.filter { a.layers[$0].weights.storage != b.layers[$0].weights.storage || a.layers[$0].bias != b.layers[$0].bias }
  }
}
