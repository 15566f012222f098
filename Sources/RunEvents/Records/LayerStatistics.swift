/// How one layer's gradients, weights and activations look at one step.
public struct LayerStatistics: Sendable, Equatable {
  public var inputs: Int
  public var outputs: Int
  /// ‖∂J/∂W‖ (Frobenius).
  public var gradientNorm: Double
  /// ‖∂J/∂b‖.
  public var biasGradientNorm: Double
  /// ‖W‖.
  public var weightNorm: Double
  /// ‖ΔW‖ / ‖W‖ of the update just applied (healthy near 1e-3).
  public var updateRatio: Double
  /// Mean and standard deviation of the layer's activations over the batch.
  public var activationMean: Double
  public var activationStd: Double
  /// Fraction of units that were never active over the recent window (ReLU).
  public var deadFraction: Double
  /// Fraction of units whose σ' was below the saturation bound (sigmoid, tanh).
  public var saturatedFraction: Double
  /// Whether any weight, gradient or activation was NaN or infinite.
  public var nonFinite: Bool

  public init(
    inputs: Int, outputs: Int, gradientNorm: Double = 0, biasGradientNorm: Double = 0, weightNorm: Double = 0,
    updateRatio: Double = 0, activationMean: Double = 0, activationStd: Double = 0, deadFraction: Double = 0,
    saturatedFraction: Double = 0, nonFinite: Bool = false
  ) {
    self.inputs = inputs
    self.outputs = outputs
    self.gradientNorm = gradientNorm
    self.biasGradientNorm = biasGradientNorm
    self.weightNorm = weightNorm
    self.updateRatio = updateRatio
    self.activationMean = activationMean
    self.activationStd = activationStd
    self.deadFraction = deadFraction
    self.saturatedFraction = saturatedFraction
    self.nonFinite = nonFinite
  }

  /// The mean of several samples of the same layer (non-finite if any was).
  public static func mean(_ samples: [LayerStatistics]) -> LayerStatistics? {
    guard var m = samples.first else { return nil }
    guard samples.count > 1 else { return m }
    let n = Double(samples.count)
    func avg(_ k: KeyPath<LayerStatistics, Double>) -> Double { samples.reduce(0) { $0 + $1[keyPath: k] } / n }
    m.gradientNorm = avg(\.gradientNorm)
    m.biasGradientNorm = avg(\.biasGradientNorm)
    m.weightNorm = avg(\.weightNorm)
    m.updateRatio = avg(\.updateRatio)
    m.activationMean = avg(\.activationMean)
    m.activationStd = avg(\.activationStd)
    m.deadFraction = avg(\.deadFraction)
    m.saturatedFraction = avg(\.saturatedFraction)
    m.nonFinite = samples.contains { $0.nonFinite }
    return m
  }
}
