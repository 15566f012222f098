import Foundation
import NumberFormat

/// Whether a network can be trained in the memory this machine has, asked
/// before anything is allocated: an allocation that fails in Swift is a
/// trap, not an error, so a network too large for the machine is refused up
/// front with one line instead.
public struct MemoryBudget: Sendable {
  /// Parameters (weights and biases), or nil when the count overflows.
  public var parameters: Int?
  /// Bytes training needs, or nil when the count overflows.
  public var bytes: Int?

  /// Copies of the parameters a training run holds, beyond the optimiser's
  /// state: the weights, ∂J/∂W, the UI's snapshot (about two in flight) and
  /// the roll-back weights `d` returns to (the best and the candidate, each
  /// with optimiser state).
  static let parameterCopies = 5

  /// The estimate for widths `sizes` (`[in, h₁, …, out]`), trained with an
  /// optimiser keeping `optimizerMoments` values per parameter (0 SGD,
  /// 1 momentum, 2 Adam) on batches of `batch` and evaluated in chunks of
  /// `evaluationChunk` examples.
  public init(sizes: [Int], optimizerMoments: Int, batch: Int, evaluationChunk: Int) {
    var p = 0
    var widths = 0
    var ok = true
    for (inputs, outputs) in zip(sizes, sizes.dropFirst()) {
      let (w, o1) = inputs.multipliedReportingOverflow(by: outputs)
      let (layer, o2) = w.addingReportingOverflow(outputs)
      let (sum, o3) = p.addingReportingOverflow(layer)
      ok = ok && !o1 && !o2 && !o3
      p = sum
      widths += outputs
    }
    parameters = ok ? p : nil
    // Per example in flight: Z, A and ∂J/∂Z for every layer.
    let (perParameter, o4) = p.multipliedReportingOverflow(by: 4 * (Self.parameterCopies + 3 * optimizerMoments))
    let (activations, o5) = (3 * 4 * widths).multipliedReportingOverflow(by: max(batch, evaluationChunk))
    let (total, o6) = perParameter.addingReportingOverflow(activations)
    bytes = ok && !o4 && !o5 && !o6 ? total : nil
  }

  /// Memory the system can give this process now: MemAvailable plus free
  /// swap, from /proc/meminfo (nil where it cannot be read).
  public static func available() -> Int? {
    guard let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8) else { return nil }
    func kilobytes(_ key: String) -> Int? {
      guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(key + ":") }) else { return nil }
      return line.split(separator: " ").dropFirst().first.flatMap { Int($0) }
    }
    guard let available = kilobytes("MemAvailable") else { return nil }
    return (available + (kilobytes("SwapFree") ?? 0)) * 1024
  }

  /// Why this network cannot be trained with `available` bytes, or nil when it can.
  public func refusal(network description: String, available: Int?) -> String? {
    guard let parameters, let bytes else {
      return "network \(description) is too large to count its parameters: use fewer or smaller layers"
    }
    guard let available, bytes > available else { return nil }
    return "network \(description) has \(parameters.grouped) parameters: training it needs about \(byteSize(Double(bytes))) of memory "
      + "(weights, gradients, optimiser state, roll-back copies, workspaces) and \(byteSize(Double(available))) is available; use fewer or smaller layers"
  }

}
