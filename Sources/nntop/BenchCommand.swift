import NumberFormat
import Interop
import ArgumentParser
import Foundation
import NeuralNet
import RunEvents
import Training
import PeerBenchmark

/// `nntop bench`: training throughput on the peer benchmark's workloads,
/// written in peers.py's JSON format so both can be set side by side.
struct Bench: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Measure training throughput on the peer benchmark's workloads (see BENCHMARKS.md).",
    discussion: """
      Prints the CPU and the kernel set chosen for it (avx512, avx2 or baseline). \
      NNTOP_KERNEL=NAME runs another set the CPU supports, to compare them.
      """)

  @Option(help: "tiny, spirals, digits, mnist, deep, a comma list, or all.")
  var workload: String = "all"

  @Option(help: "Threads for the matrix products (1 to 64; the peers measure 1 and 2): one count or a comma list like 1,2.")
  var threads: String = "1"

  @Option(parsing: .unconditional, help: "Measured seconds per case.")
  var seconds = TypedNumber(argument: "3")!

  @Option(parsing: .unconditional, help: "Warm-up seconds per case.")
  var warmup = TypedNumber(argument: "0.5")!

  @Option(help: "Run the whole matrix this many times, interleaved.")
  var `repeat`: Int = 1

  @Flag(help: "Also measure square fp32 GEMM GFLOP/s at n = 2048 and 512.")
  var gemm = false

  @Flag(help: "Also measure how long one dashboard frame takes to render at 200×60 (and 120×40).")
  var render = false

  @Option(help: ArgumentHelp("Write the records (peers.py's format, peer \"nntop\") to this file.", valueName: "file.json"))
  var json: String?

  @Flag(help: "Replace --json even if it is not a file nntop bench wrote.")
  var force = false

  func validate() throws {
    _ = try workloads()
    _ = try threadCounts()
    guard seconds.value.isFinite && seconds.value > 0 else { throw ValidationError("--seconds must be a positive number, got \(seconds)") }
    guard warmup.value.isFinite && warmup.value >= 0 else { throw ValidationError("--warmup must be a number ≥ 0, got \(warmup)") }
    guard `repeat` >= 1 else { throw ValidationError("--repeat must be at least 1, got \(`repeat`)") }
  }

  func workloads() throws -> [BenchmarkWorkload] {
    if workload == "all" { return BenchmarkWorkload.all }
    if workload == "none" { return [] }
    return try workload.split(separator: ",").map { name in
      guard let w = BenchmarkWorkload.named(String(name)) else {
        throw ValidationError("--workload \(name): choose from \(BenchmarkWorkload.all.map(\.name).joined(separator: ", ")) or all")
      }
      return w
    }
  }

  func threadCounts() throws -> [Int] {
    try threads.split(separator: ",").map { t in
      guard let n = Int(t), (1...64).contains(n) else { throw ValidationError("--threads takes counts from 1 to 64, like 1 or 1,2; got \(t)") }
      return n
    }
  }

  /// The kernels every case runs on (NNTOP_KERNEL forces a set to compare them).
  var kernels: KernelSet { .active }

  /// The CPU's model name as Linux reports it (nil elsewhere), to name it beside the numbers.
  var cpuModel: String? {
    guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
      let line = info.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
      let colon = line.firstIndex(of: ":")
    else { return nil }
    return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
  }

  func run() throws {
    KernelSet.flushSubnormals()  // as the training threads do
    var records: [JSON] = []
    // Records are written as each case ends; find out now whether they can be.
    if let json {
      try OutputGuard(force: force, inputs: []).check(json, as: .benchmark).map(warn)
      try write(records, to: json)
    }
    let model = cpuModel
    let host = JSON.object([
      ("machine", .string("x86_64")),
      ("cpus", .number(Double(ProcessInfo.processInfo.activeProcessorCount))),
      ("date", .string(ISO8601DateFormatter().string(from: Date()))),
      ("cpu_model", model.map(JSON.string) ?? .null),
      ("kernel", .string(kernels.name)),
      ("simd", .string("\(kernels.lanes) × fp32")),
    ])
    print("nntop bench on \(model ?? "an unnamed CPU"): \(seconds) s per case after \(warmup) s warm-up")
    print("kernel: \(kernels), the \(kernels == KernelSet.supported[0] ? "best" : "one NNTOP_KERNEL asks") of those this CPU runs (\(KernelSet.supported.map(\.name).joined(separator: ", ")))")
    var table: [String: [String]] = [:]
    for run in 1...`repeat` {
      for t in try threadCounts() {
        for w in try workloads() {
          let bench = try BenchmarkRun(w, threads: t)
          let r = bench.measure(seconds: seconds.value, warmup: warmup.value)
          let tag = "\(w.name.padding(toLength: 8, withPad: " ", startingAt: 0)) nntop T=\(t) run \(run)"
          print("  \(tag)  \(rate(r.samplesPerSecond).leftPadded(9)) samples/s  (\(fixed(r.matmulGflops, 1)) matmul GFLOP/s, \(counted(r.steps, "step")) in \(fixed(r.seconds, 2))s, cpu_util \(fixed(r.cpuSeconds / r.seconds, 2)))")
          table["\(w.name) T=\(t)", default: []].append(rate(r.samplesPerSecond))
          records.append(.object([
            ("peer", .string("nntop")), ("workload", .string(w.name)), ("threads", .number(Double(t))),
            ("batch", .number(Double(w.batch))), ("samples_per_s", .finite(r.samplesPerSecond)), ("steps", .number(Double(r.steps))),
            ("seconds", .finite(r.seconds)), ("version", .string("nntop \(NNTop.configuration.version)")), ("status", .string(r.finite ? "ok" : "failed")),
            ("run", .number(Double(run))), ("flops_per_sample", .number(Double(w.flopsPerSample))),
            ("matmul_flops_per_sample", .number(Double(w.matmulFlopsPerSample))), ("gflops", .finite(r.gflops)),
            ("cpu_util", .finite(r.cpuSeconds / r.seconds)), ("cpu_s", .finite(r.cpuSeconds)),
            ("samples_per_s_median_window", .finite(r.medianWindow)), ("samples_per_s_best_window", .finite(r.bestWindow)),
            ("blas", .string("nntop GEMM, \(kernels.name) kernels")), ("pinned_cpus", .null), ("host", host),
          ]))
          if let json { try write(records, to: json) }
        }
        if gemm {
          for n in [2048, 512] {
            let g = GEMMBenchmark.measure(n: n, threads: t, seconds: seconds.value)
            print("  gemm-\(n) nntop T=\(t)  \(fixed(g.gflops, 1)) GFLOP/s (best call \(fixed(g.best, 1)))")
            records.append(.object([
              ("peer", .string("nntop-gemm")), ("workload", .string("gemm-\(n)")), ("threads", .number(Double(t))),
              ("batch", .number(Double(n))), ("samples_per_s", .null), ("gflops", .finite(g.gflops)), ("gflops_best", .finite(g.best)),
              ("status", .string("ok")), ("run", .number(Double(run))), ("host", host),
            ]))
            if let json { try write(records, to: json) }
          }
        }
      }
    }
    if render {
      let cases = [("digits", 200, 60), ("spirals", 200, 60), ("digits", 120, 40)] + (ProcessInfo.processInfo.environment["NNTOP_RENDER_DATA"].map { [($0, 120, 40)] } ?? [])
      for (data, w, h) in cases {
        let r = try RenderBenchmark.measure(data: data, width: w, height: h)
        print("  render \(data) \(w)×\(h): median \(fixed(r.medianMilliseconds, 2)) ms, worst \(fixed(r.worstMilliseconds, 2)) ms over \(r.frames) frames")
        records.append(.object([
          ("peer", .string("nntop-render")), ("workload", .string("render-\(data)-\(w)x\(h)")), ("frames", .number(Double(r.frames))),
          ("median_ms", .finite(r.medianMilliseconds)), ("worst_ms", .finite(r.worstMilliseconds)), ("status", .string("ok")), ("host", host),
        ]))
        if let json { try write(records, to: json) }
      }
    }
    guard !(try workloads()).isEmpty else { return }
    print("\nsamples/s (runs separated by '/')")
    for w in try workloads() {
      let cells = try threadCounts().map { t in "T=\(t) " + (table["\(w.name) T=\(t)"] ?? []).joined(separator: "/") }
      print("  \(w.name.padding(toLength: 8, withPad: " ", startingAt: 0)) " + cells.map { $0.padding(toLength: 28, withPad: " ", startingAt: 0) }.joined())
    }
  }

  func rate(_ x: Double) -> String {
    if x >= 1e6 { return fixed(x / 1e6, 2) + "M" }
    if x >= 1e3 { return fixed(x / 1e3, 1) + "k" }
    return fixed(x, 0)
  }

  func write(_ records: [JSON], to path: String) throws {
    let text = "[\n" + records.map { "  " + $0.serialized }.joined(separator: ",\n") + "\n]\n"
    try OutputFile.write(Array(text.utf8), to: path)
  }
}

extension String {
  func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}

/// Square fp32 GEMM throughput, as peers.py's `--gemm` measures NumPy's.
enum GEMMBenchmark {
  static func measure(n: Int, threads: Int, seconds: Double) -> (gflops: Double, best: Double) {
    var rng = SeededGenerator(seed: 1234)
    let a = (0..<(n * n)).map { _ in rng.normal() }, b = (0..<(n * n)).map { _ in rng.normal() }
    var c = [Float](repeating: 0, count: n * n)
    let pool = threads > 1 ? WorkerPool(threads: threads) : nil
    defer { pool?.shutdown() }
    let context = GEMMContext(runner: pool)
    let flop = 2 * Double(n) * Double(n) * Double(n)
    var times: [Double] = []
    let clock = ContinuousClock()
    a.withUnsafeBufferPointer { ap in
      b.withUnsafeBufferPointer { bp in
        c.withUnsafeMutableBufferPointer { cp in
          func call() {
            NeuralNet.gemm(.none, .none, m: n, n: n, k: n, alpha: 1, a: ap.baseAddress!, lda: n, b: bp.baseAddress!, ldb: n, beta: 0, c: cp.baseAddress!, ldc: n, context: context)
          }
          for _ in 0..<3 { call() }
          let t0 = clock.now
          while (clock.now - t0).seconds < seconds || times.count < 3 {
            let t = clock.now
            call()
            times.append((clock.now - t).seconds)
          }
        }
      }
    }
    let total = times.reduce(0, +)
    return (flop * Double(times.count) / total / 1e9, flop / times.min()! / 1e9)
  }
}
