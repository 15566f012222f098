import Foundation
import RunEvents
import NumberFormat

/// The bounds the verdicts use. Each has a flag; README.md lists them.
public struct HealthThresholds: Sendable, Equatable {
  /// ‖∂J/∂W‖ below this is vanishing (`--vanishing-grad`).
  public var vanishingNorm = 1e-6
  /// ‖∂J/∂W‖ below this fraction of the largest layer's is vanishing too
  /// (`--vanishing-ratio`): gradient flow dying on its way down.
  public var vanishingRatio = 1e-3
  /// ‖∂J/∂W‖ above this is exploding (`--exploding-grad`).
  public var explodingNorm = 1e3
  /// Share of a layer's ReLU units that never fired over the last
  /// `LayerStatisticsCollector.deadWindow` sampled batches (`--dead-fraction`).
  public var deadFraction = 0.5
  /// Share of a layer's sigmoid/tanh activations with σ' below 5 % of its
  /// maximum (`--saturated-fraction`).
  public var saturatedFraction = 0.5
  /// ‖ΔW‖/‖W‖ above this: η too large (`--update-ratio-high`).
  public var updateRatioHigh = 1e-1
  /// ‖ΔW‖/‖W‖ below this while ‖∂J/∂W‖ is still at least a tenth of its peak
  /// in the run: η too small (`--update-ratio-low`). (A layer that has
  /// converged has a small gradient too, and is not flagged.)
  public var updateRatioLow = 1e-6
  /// The run overfits when its validation loss stays this fraction above
  /// its best (`--overfit-rise`) …
  public var overfitRise = 0.2
  /// … for this many epochs in a row while the training loss still falls
  /// (`--overfit-epochs`).
  public var overfitEpochs = 10

  public init() {}
}


/// Judges layers from their statistics, and the run from its epochs
/// (`OverfittingRule`). Keeps, per layer, the largest gradient norm seen in
/// the run (the η-too-small rule needs it).
public struct HealthMonitor: Sendable {
  public var thresholds: HealthThresholds
  /// What kind of activation each layer has (the output layer's is ignored).
  public let activations: [ActivationFamily]
  /// What the reasons call each layer (a watched run's module names); nil: `layer 1`, `layer 2`….
  public var layerNames: [String]?
  private var peakGradient: [Double]
  /// The run-level rule, fed every epoch.
  var overfitting: OverfittingRule

  /// The name the reasons give layer `i` (from 0).
  func name(_ i: Int) -> String {
    if let layerNames, i < layerNames.count { return layerNames[i] }
    return "layer \(i + 1)"
  }

  /// `builtIn`: the run is nntop's own, so hints may name its flags.
  public init(thresholds: HealthThresholds, families activations: [ActivationFamily], builtIn: Bool = false) {
    self.thresholds = thresholds
    self.activations = activations
    peakGradient = Array(repeating: 0, count: activations.count)
    overfitting = OverfittingRule(rise: thresholds.overfitRise, epochs: thresholds.overfitEpochs, builtIn: builtIn)
  }

  /// `record` with the run-level verdict after it (overfitting, or none).
  public mutating func judge(_ record: EpochRecord) -> EpochRecord {
    var judged = record
    judged.overfitting = overfitting.judge(record)
    return judged
  }

  /// Records a sample's gradient norms (for the peaks).
  public mutating func observe(_ layers: [LayerStatistics]) {
    for (l, s) in layers.enumerated() where l < peakGradient.count && s.gradientNorm.isFinite {
      peakGradient[l] = max(peakGradient[l], s.gradientNorm)
    }
  }

  /// The verdict of every layer, judged together (the relative rule needs
  /// the largest layer).
  public func judge(_ layers: [LayerStatistics]) -> [LayerHealth] {
    let t = thresholds
    // The relative rule compares with the largest layer that is neither NaN nor exploding.
    let candidates = layers.enumerated().filter { $0.element.gradientNorm.isFinite && $0.element.gradientNorm <= t.explodingNorm }
    let largest = candidates.max { $0.element.gradientNorm < $1.element.gradientNorm }
    let deep = activations.dropLast().contains(.squashing)
    let verdicts: [LayerHealth] = layers.enumerated().map { i, s in
      let name = name(i)
      if s.nonFinite || !s.gradientNorm.isFinite || !s.weightNorm.isFinite {
        return LayerHealth(status: .nan, reason: "\(name) has NaN or infinite values", hint: LayerHealth.divergedHint)
      }
      if s.gradientNorm > t.explodingNorm {
        return LayerHealth(
          status: .exploding, reason: "\(name) ‖∂J/∂W‖ \(scientific(s.gradientNorm)) > \(scientific(t.explodingNorm))",
          hint: "lower η, use Xavier/He init (no extra gain), or add --l2")
      }
      let activation = i < activations.count ? activations[i] : .other
      let hidden = i < layers.count - 1
      if hidden && activation == .rectifier && s.deadFraction > t.deadFraction {
        return LayerHealth(
          status: .dead, reason: "\(wholePercent(s.deadFraction)) of \(name)'s ReLUs never fire",
          hint: "lower η, use He init, or --activation leaky-relu")
      }
      if hidden && activation == .squashing && s.saturatedFraction > t.saturatedFraction {
        return LayerHealth(
          status: .saturated, reason: "\(wholePercent(s.saturatedFraction)) of \(name)'s units are saturated (σ' < 5% of max)",
          hint: "use Xavier init (--init xavier) and standardised inputs, or ReLU")
      }
      let vanishingHint = deep ? "try ReLU with He init, or fewer layers" : "try He init, fewer layers or a larger η"
      if s.gradientNorm < t.vanishingNorm {
        return LayerHealth(
          status: .vanishing, reason: "\(name) ‖∂J/∂W‖ \(scientific(s.gradientNorm)) < \(scientific(t.vanishingNorm))", hint: vanishingHint)
      }
      if let (j, top) = largest, j != i, top.gradientNorm > 0, s.gradientNorm < t.vanishingRatio * top.gradientNorm {
        return LayerHealth(
          status: .vanishing, reason: "\(name) gradient is \(scientific(s.gradientNorm / top.gradientNorm)) of \(self.name(j))'s",
          hint: vanishingHint)
      }
      if s.updateRatio > t.updateRatioHigh {
        return LayerHealth(
          status: .learningRateHigh, reason: "\(name) updates are \(wholePercent(s.updateRatio)) of its weights per step",
          hint: "η is too large: try η ÷ 10 (-, or e to type one)")
      }
      let peak = i < peakGradient.count ? peakGradient[i] : 0
      if s.updateRatio > 0 && s.updateRatio < t.updateRatioLow && s.gradientNorm >= 0.1 * peak {
        return LayerHealth(
          status: .learningRateLow, reason: "\(name) updates are \(scientific(s.updateRatio)) of its weights per step",
          hint: "η is too small: try η × 10 (+, or e to type one)")
      }
      return LayerHealth(status: .ok)
    }
    return blamingTheCause(verdicts)
  }

  /// A cause outranks the vanishing gradient it brings, across layers too:
  /// dead or saturated units in a layer stop the gradient of every layer
  /// below it (nearer the input) and feed the next one nothing to learn
  /// from, so a vanishing layer's hint is to fix the nearest such layer
  /// rather than its own "a larger η".
  func blamingTheCause(_ verdicts: [LayerHealth]) -> [LayerHealth] {
    let causes = verdicts.indices.filter { verdicts[$0].status == .dead || verdicts[$0].status == .saturated }
    return verdicts.enumerated().map { i, verdict in
      guard verdict.status == .vanishing, let k = causes.min(by: { abs($0 - i) < abs($1 - i) }) else { return verdict }
      var blamed = verdict
      let units = verdicts[k].status == .dead ? "dead ReLUs" : "saturated units"
      blamed.hint = "\(name(k))'s \(units) starve it of gradient: fix those first (\(verdicts[k].hint))"
      return blamed
    }
  }

}

