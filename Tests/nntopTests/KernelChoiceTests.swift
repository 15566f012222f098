import Foundation
import NeuralNet
import Testing
import TestSupport

/// The kernel set chosen at run time, as a user meets it: every set this CPU
/// runs trains alike, NNTOP_KERNEL forces one or is refused clearly, and the
/// binary runs on a CPU without AVX (QEMU's Nehalem, where installed).
@Suite(.serialized)
struct KernelChoiceTests {
  /// The final training loss of `done: … · loss X`.
  static func finalLoss(_ stdout: String) -> Double? {
    stdout.split(separator: "\n").last { $0.hasPrefix("done:") }?.components(separatedBy: "loss ").last.flatMap { Double($0) }
  }

  @Test func everyKernelSetTrainsDigitsAlike() throws {
    var losses: [String: Double] = [:]
    for kernels in KernelSet.supported {
      let r = try NNTopProcess.run(["--headless", "--data", "digits", "--epochs", "3", "--seed", "5"], environment: ["NNTOP_KERNEL": kernels.name])
      #expect(r.status == 0, "\(kernels.name): \(r.stderr)")
      losses[kernels.name] = Self.finalLoss(r.stdout)
      let bench = try NNTopProcess.run(["bench", "--workload", "tiny", "--seconds", "0.05", "--warmup", "0.01"], environment: ["NNTOP_KERNEL": kernels.name])
      #expect(bench.stdout.contains("kernel: \(kernels.name) ("), "\(bench.stdout)")
    }
    // The same run to fp32 rounding: sums in another order, fused or not.
    let baseline = try #require(losses["baseline"])
    #expect(baseline < 0.5, "digits should be learning: \(losses)")
    for (name, loss) in losses { #expect(abs(loss - baseline) <= 0.01 * baseline, "\(name) \(loss) vs baseline \(baseline)") }
  }

  @Test(.enabled(if: ProcessInfo.processInfo.environment["NNTOP_KERNEL"] == nil))
  func theBestSetIsTheDefault() throws {
    let r = try NNTopProcess.run(["bench", "--workload", "tiny", "--seconds", "0.05", "--warmup", "0.01"])
    #expect(r.stdout.contains("kernel: \(KernelSet.supported[0].name) ("), "\(r.stdout)")
  }

  @Test func aKernelSetThatCannotRunIsAUsageError() throws {
    let r = try NNTopProcess.run(["--headless", "--data", "xor"], environment: ["NNTOP_KERNEL": "avx9"])
    #expect(r.status == 64 && r.stdout.isEmpty)
    #expect(r.stderr.contains("NNTOP_KERNEL=avx9 is not a kernel set") && r.stderr.contains("avx2"), "\(r.stderr)")
    if KernelSet.named("avx512") == nil {
      let unsupported = try NNTopProcess.run(["--headless", "--data", "xor"], environment: ["NNTOP_KERNEL": "avx512"])
      #expect(unsupported.status == 64 && unsupported.stderr.contains("this CPU does not run it"), "\(unsupported.stderr)")
    }
  }

  /// QEMU's user-mode x86-64 emulator, if installed (CI installs it and sets NNTOP_REQUIRE_QEMU).
  static let qemu: String? = ["/usr/bin/qemu-x86_64", "/usr/local/bin/qemu-x86_64"].first { FileManager.default.isExecutableFile(atPath: $0) }

  /// A ThreadSanitizer binary cannot run under QEMU's user-mode emulator,
  /// whose address space has no room for the sanitizer's shadow memory. The
  /// plain suite runs the test.
  @Test(.disabled(if: NNTopProcess.underThreadSanitizer, "a ThreadSanitizer build does not run under QEMU"))
  func runsOnACPUWithoutAVX() throws {
    guard let qemu = Self.qemu else {
      #expect(ProcessInfo.processInfo.environment["NNTOP_REQUIRE_QEMU"] == nil, "qemu-x86_64 (Debian's qemu-user) is not installed")
      return
    }
    #if arch(x86_64)
      // Nehalem: SSE4.2, no AVX. A binary built with AVX dies here with SIGILL.
      let r = try NNTopProcess.run(["-c", "exec \"$0\" -cpu Nehalem \"$1\" --headless --data xor", qemu, NNTopProcess.executable], shell: true)
      #expect(r.status == 0 && r.exitedNormally, "\(r.stderr)")
      #expect(r.stdout.contains("done: 20 epochs") && r.stdout.contains("val_acc 100.0%"), "\(r.stdout)")
      let bench = try NNTopProcess.run(
        ["-c", "exec \"$0\" -cpu Nehalem \"$1\" bench --workload tiny --seconds 0.05 --warmup 0.01", qemu, NNTopProcess.executable], shell: true)
      #expect(bench.stdout.contains("kernel: baseline ("), "\(bench.stdout)")
    #endif
  }
}
