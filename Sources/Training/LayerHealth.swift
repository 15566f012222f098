import Foundation

/// A layer's verdict, as the run log's `status` and the dashboard's badge.
public enum HealthStatus: String, Sendable, CaseIterable, Comparable {
  case ok
  case vanishing
  case exploding
  case nan

  /// Worse verdicts sort later.
  public static func < (a: HealthStatus, b: HealthStatus) -> Bool {
    allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
  }
}

/// The bounds the verdicts use; each has a flag (README lists them).
public struct HealthThresholds: Sendable, Equatable {
  /// ‖∂J/∂W‖ below this is vanishing (`--vanishing-grad`).
  public var vanishingNorm = 1e-6
  /// A layer whose ‖∂J/∂W‖ is below this fraction of the largest layer's is
  /// vanishing too (`--vanishing-ratio`): gradient flow dies on the way down.
  public var vanishingRatio = 1e-3
  /// ‖∂J/∂W‖ above this is exploding (`--exploding-grad`).
  public var explodingNorm = 1e3

  public init() {}
}

/// A verdict with its reason.
public struct LayerHealth: Sendable, Equatable {
  public var status: HealthStatus
  /// One line saying why, for the dashboard ("" when ok).
  public var reason: String

  public init(status: HealthStatus, reason: String = "") {
    self.status = status
    self.reason = reason
  }

  /// The verdict of every layer, judged together (the relative rule needs the largest layer).
  public static func judge(_ layers: [LayerStatistics], thresholds t: HealthThresholds) -> [LayerHealth] {
    // The relative rule compares with the largest layer that is neither NaN nor exploding.
    let largest = layers.filter { $0.gradientNorm.isFinite && $0.gradientNorm <= t.explodingNorm }.map(\.gradientNorm).max() ?? 0
    let largestIndex = layers.firstIndex { $0.gradientNorm == largest }
    return layers.enumerated().map { i, s in
      if s.nonFinite || !s.gradientNorm.isFinite || !s.weightNorm.isFinite {
        return LayerHealth(status: .nan, reason: "layer \(i + 1) has NaN or infinite values")
      }
      if s.gradientNorm > t.explodingNorm {
        return LayerHealth(status: .exploding, reason: "layer \(i + 1) gradient norm \(scientific(s.gradientNorm)) > \(scientific(t.explodingNorm))")
      }
      if s.gradientNorm < t.vanishingNorm {
        return LayerHealth(status: .vanishing, reason: "layer \(i + 1) gradient norm \(scientific(s.gradientNorm)) < \(scientific(t.vanishingNorm))")
      }
      if let j = largestIndex, j != i, largest > 0, s.gradientNorm < t.vanishingRatio * largest {
        return LayerHealth(status: .vanishing, reason: "layer \(i + 1) gradient is \(scientific(s.gradientNorm / largest)) of layer \(j + 1)'s")
      }
      return LayerHealth(status: .ok)
    }
  }
}

/// `1.2e-07`-style formatting for norms and ratios.
public func scientific(_ v: Double, digits: Int = 1) -> String {
  guard v.isFinite else { return v.isNaN ? "NaN" : (v > 0 ? "inf" : "-inf") }
  return String(format: "%.\(digits)e", v)
}
