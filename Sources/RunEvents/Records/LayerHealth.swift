/// A layer's verdict, as the run log's `status` and the dashboard's badge.
/// Cases are in order of severity; a cause (dead, saturated) outranks the
/// vanishing gradient it brings.
public enum HealthStatus: String, Sendable, CaseIterable, Comparable {
  case ok
  /// ‖ΔW‖/‖W‖ tiny while the gradient is still large: η too small.
  case learningRateLow = "lr-low"
  /// ‖ΔW‖/‖W‖ large: η too large.
  case learningRateHigh = "lr-high"
  case vanishing
  /// Most sigmoid/tanh units sit where σ' ≈ 0 (a cause of vanishing gradients).
  case saturated
  /// Most ReLU units never fire (their gradient is exactly 0).
  case dead
  case exploding
  case nan

  public static func < (a: HealthStatus, b: HealthStatus) -> Bool {
    allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
  }

  /// The badge text: a word, so it reads without colour.
  public var badge: String {
    switch self {
    case .ok: "OK"
    case .learningRateLow: "η LOW"
    case .learningRateHigh: "η HIGH"
    case .saturated: "SATURATED"
    case .dead: "DEAD"
    case .vanishing: "VANISHING"
    case .exploding: "EXPLODING"
    case .nan: "NaN"
    }
  }
}

/// A verdict, with why (for the log) and what to try (for the dashboard).
public struct LayerHealth: Sendable, Equatable {
  public var status: HealthStatus
  /// Why, with the numbers: "layer 1 gradient is 1.2e-07 of layer 8's".
  public var reason: String
  /// What to try: "try ReLU with He init".
  public var hint: String

  public init(status: HealthStatus, reason: String = "", hint: String = "") {
    self.status = status
    self.reason = reason
    self.hint = hint
  }

  /// What to try after NaN or infinity.
  public static let divergedHint = "lower η (d rolls back with η ÷ 10) or re-initialise (r)"

  /// "reason: hint", the one line the dashboard shows.
  public var message: String { hint.isEmpty ? reason : "\(reason): \(hint)" }
}
