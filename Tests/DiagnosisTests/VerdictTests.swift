import Diagnosis
import RunEvents
import Testing

/// Diagnosis is pure and source-agnostic: statistics and activation
/// families in, verdicts out — a PyTorch run's layers, described only by
/// numbers and families, are judged by these same rules.
struct VerdictTests {
  func stats(_ grad: Double, dead: Double = 0, saturated: Double = 0, update: Double = 1e-3, nonFinite: Bool = false) -> LayerStatistics {
    LayerStatistics(
      inputs: 8, outputs: 8, gradientNorm: grad, weightNorm: 1, updateRatio: update, deadFraction: dead, saturatedFraction: saturated,
      nonFinite: nonFinite)
  }

  @Test func deadAndSaturatedDependOnTheFamily() {
    let monitor = HealthMonitor(thresholds: HealthThresholds(), families: [.rectifier, .squashing, .other, .other])
    let layers = [stats(0.1, dead: 0.9), stats(0.1, saturated: 0.9), stats(0.1, dead: 0.9, saturated: 0.9), stats(0.1)]
    #expect(monitor.judge(layers).map(\.status) == [.dead, .saturated, .ok, .ok])
  }

  @Test func theOutputLayerIsNeverDeadOrSaturated() {
    let monitor = HealthMonitor(thresholds: HealthThresholds(), families: [.rectifier, .rectifier])
    #expect(monitor.judge([stats(0.1), stats(0.1, dead: 1)]).map(\.status) == [.ok, .ok])
  }

  @Test func vanishingIsRelativeToTheLargestLayerAndBlamesACause() {
    let monitor = HealthMonitor(thresholds: HealthThresholds(), families: [.squashing, .squashing, .other])
    let verdicts = monitor.judge([stats(1e-5), stats(0.1, saturated: 0.8), stats(0.2)])
    #expect(verdicts.map(\.status) == [.vanishing, .saturated, .ok])
    #expect(verdicts[0].reason == "layer 1 gradient is 5.0e-05 of layer 3's")
    #expect(verdicts[0].hint.hasPrefix("layer 2's saturated units starve it of gradient"))
  }

  @Test func nonFiniteAndExplodingComeFirst() {
    let monitor = HealthMonitor(thresholds: HealthThresholds(), families: [.rectifier, .rectifier, .other])
    let verdicts = monitor.judge([stats(.nan), stats(5e3, dead: 0.9), stats(0.1, nonFinite: true)])
    #expect(verdicts.map(\.status) == [.nan, .exploding, .nan])
    #expect(verdicts[1].reason == "layer 2 ‖∂J/∂W‖ 5.0e+03 > 1.0e+03")
  }
}
