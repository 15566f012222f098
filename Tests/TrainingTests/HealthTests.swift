import NeuralNet
import Testing
import Training
import Diagnosis
import RunEvents

/// The verdict rules, one by one, on made-up statistics.
struct HealthTests {
  func layer(_ g: Double, ratio: Double = 1e-3, dead: Double = 0, saturated: Double = 0) -> LayerStatistics {
    LayerStatistics(inputs: 4, outputs: 4, gradientNorm: g, weightNorm: 1, updateRatio: ratio, deadFraction: dead, saturatedFraction: saturated)
  }

  func judge(_ layers: [LayerStatistics], _ activations: [Activation], peaks: [LayerStatistics] = []) -> [LayerHealth] {
    var monitor = HealthMonitor(thresholds: HealthThresholds(), activations: activations)
    monitor.observe(peaks)
    monitor.observe(layers)
    return monitor.judge(layers)
  }

  @Test func vanishingExplodingAndNaN() {
    let verdicts = judge([layer(1e-8), layer(1e-5), layer(0.3), layer(5e3), layer(.nan)], [.relu, .relu, .relu, .relu, .softmax])
    // 1e-8 is below the absolute bound; 1e-5 below 1e-3 × 0.3, the largest
    // layer that is neither exploding nor NaN.
    #expect(verdicts.map(\.status) == [.vanishing, .vanishing, .ok, .exploding, .nan])
    #expect(verdicts[1].reason == "layer 2 gradient is 3.3e-05 of layer 3's")
    #expect(verdicts[1].hint == "try He init, fewer layers or a larger η")
    let sigmoid = judge([layer(1e-5), layer(0.5)], [.sigmoid, .sigmoid])
    #expect(sigmoid[0].message == "layer 1 gradient is 2.0e-05 of layer 2's: try ReLU with He init, or fewer layers")
  }

  @Test func deadAndSaturatedDependOnTheActivation() {
    let dead = judge([layer(0.1, dead: 0.6), layer(0.1, dead: 0.6)], [.relu, .softmax])
    #expect(dead.map(\.status) == [.dead, .ok], "the output layer is never dead")
    #expect(dead[0].reason == "60% of layer 1's ReLUs never fire")
    #expect(judge([layer(0.1, dead: 0.4), layer(0.1)], [.relu, .softmax])[0].status == .ok)
    #expect(judge([layer(0.1, dead: 0.9), layer(0.1)], [.tanh, .softmax])[0].status == .ok, "tanh units are not dead")
    let saturated = judge([layer(0.1, saturated: 0.8), layer(0.1)], [.tanh, .softmax])
    #expect(saturated[0].status == .saturated && saturated[0].hint.contains("Xavier"))
    #expect(judge([layer(0.1, saturated: 0.8), layer(0.1)], [.relu, .softmax])[0].status == .ok)
  }

  @Test func layersStarvedByDeadUnitsAreToldToFixThose() {
    // Layer 2's dead ReLUs stop the gradient of layer 1 below it and feed
    // layer 3 zeros: their hints point at the cause, not at "a larger η",
    // which would make it worse.
    let verdicts = judge([layer(1e-7), layer(0.1, dead: 0.9), layer(1e-7), layer(0.5)], [.relu, .relu, .relu, .softmax])
    #expect(verdicts.map(\.status) == [.vanishing, .dead, .vanishing, .ok])
    for i in [0, 2] {
      #expect(verdicts[i].hint == "layer 2's dead ReLUs starve it of gradient: fix those first (\(verdicts[1].hint))")
    }
    // Without dead or saturated units anywhere, a vanishing layer keeps its own hint.
    let alone = judge([layer(0.1), layer(1e-7), layer(0.5)], [.relu, .relu, .softmax])
    #expect(alone[1].hint == "try He init, fewer layers or a larger η")
  }

  @Test func learningRateRulesUseTheUpdateRatio() {
    let high = judge([layer(0.1, ratio: 0.3), layer(0.1)], [.relu, .softmax])
    #expect(high[0].status == .learningRateHigh && high[0].reason == "layer 1 updates are 30% of its weights per step")
    // Tiny updates with a gradient still near its peak: η too small.
    let low = judge([layer(0.1, ratio: 1e-8), layer(0.1)], [.relu, .softmax], peaks: [layer(0.2), layer(0.2)])
    #expect(low[0].status == .learningRateLow)
    // Tiny updates because the gradient fell 100× from its peak: converged, fine.
    let converged = judge([layer(0.001, ratio: 1e-8), layer(0.001)], [.relu, .softmax], peaks: [layer(0.1), layer(0.1)])
    #expect(converged[0].status == .ok)
  }

  @Test func severityOrdersTheBadges() {
    let order: [HealthStatus] = [.ok, .learningRateLow, .learningRateHigh, .vanishing, .saturated, .dead, .exploding, .nan]
    #expect(order.sorted() == order && HealthStatus.allCases == order)
    // A dead layer has no gradient at all: the cause is the verdict, not the symptom.
    #expect(judge([layer(0, dead: 1), layer(0.1)], [.relu, .softmax])[0].status == .dead)
    #expect(Set(HealthStatus.allCases.map(\.badge)).count == HealthStatus.allCases.count)
  }

  @Test func schedulesFollowKeras() {
    var plateau = PlateauScheduler(factor: 0.1, patience: 2)  // floor: 1e-4 × the first η, 1e-5
    var rate: Float = 0.1
    let reductions = [1.0, 0.9, 0.9, 0.9, 0.95, 0.95, 0.5].map { loss -> Bool in
      guard let reduced = plateau.observe(loss, rate: rate) else { return false }
      rate = reduced
      return true
    }
    #expect(reductions == [false, false, false, true, false, true, false])
    #expect(abs(rate - 1e-3) < 1e-9)
    // Down to the floor, then no more reductions (η never reaches 0).
    #expect(plateau.observe(0.6, rate: rate) == nil)
    #expect(plateau.observe(0.6, rate: rate).map { abs($0 - 1e-4) < 1e-10 } == true)
    #expect(plateau.observe(0.6, rate: 1e-4) == nil)
    #expect(plateau.observe(0.6, rate: 1e-4).map { abs($0 - 1e-5) < 1e-11 } == true)
    #expect(plateau.observe(0.6, rate: 1e-5) == nil && plateau.observe(0.6, rate: 1e-5) == nil)
    #expect(plateau.minimumRate.map { abs($0 - 1e-5) < 1e-11 } == true)
    // η set by hand restarts the patience; at the floor (give or take
    // rounding) nothing more happens.
    var manual = PlateauScheduler(factor: 0.5, patience: 2, minimumRate: 0.01)
    #expect(manual.observe(1, rate: 0.1) == nil && manual.observe(1, rate: 0.1) == nil)
    manual.restartPatience()
    #expect(manual.observe(1, rate: 0.1) == nil)
    #expect(manual.observe(1, rate: 0.1) == 0.05)
    #expect(manual.observe(1, rate: 0.0100001) == nil && manual.observe(1, rate: 0.0100001) == nil)
    var stop = EarlyStopping(patience: 3)
    #expect([1.0, 0.8, 0.85, 0.81, 0.9].enumerated().map { stop.observe($1, epoch: $0 + 1) } == [false, false, false, false, true])
    #expect(stop.bestEpoch == 2 && stop.best == 0.8)
  }
}
