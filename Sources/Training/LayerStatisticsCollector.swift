import NeuralNet
import RunEvents

/// Takes the per-layer statistics of an instrumented step: gradient norms
/// and activation statistics after backward, weight norms and update ratios
/// after the update. Tracks which ReLU units have stayed inactive.
public struct LayerStatisticsCollector {
  /// Sampled batches in a row a ReLU unit must stay inactive to count as dead.
  public static let deadWindow = 8
  /// σ'(z) below this fraction of its maximum counts as saturated.
  public static let saturationBound = 0.05

  private var partial: [LayerStatistics]
  /// Per layer and unit: instrumented batches in a row without activity.
  private var inactiveStreak: [[Int]]

  init(network: Network) {
    partial = network.layers.map { LayerStatistics(inputs: $0.inputs, outputs: $0.outputs) }
    inactiveStreak = network.layers.map { Array(repeating: 0, count: $0.outputs) }
  }

  mutating func beforeUpdate(network: Network, workspace ws: Workspace, batch b: Int) {
    for l in network.layers.indices {
      let layer = network.layers[l]
      var s = LayerStatistics(inputs: layer.inputs, outputs: layer.outputs)
      let (gw, gwFinite) = norm(ws.weightGradient(layer: l))
      let (gb, gbFinite) = norm(ws.biasGradient(layer: l))
      s.gradientNorm = gw
      s.biasGradientNorm = gb
      let a = ws.activation(layer: l, batch: b)
      var sum = 0.0, squares = 0.0, saturated = 0
      var finite = gwFinite && gbFinite
      let isOutput = l == network.layers.count - 1
      let maxDerivative: Float = layer.activation == .sigmoid ? 0.25 : 1
      let tracksSaturation = !isOutput && (layer.activation == .sigmoid || layer.activation == .tanh)
      let tracksDead = !isOutput && (layer.activation == .relu || layer.activation == .leakyReLU)
      for unit in 0..<layer.outputs {
        var active = false
        for j in 0..<b {
          let v = a[unit * b + j]
          if !v.isFinite { finite = false; continue }
          sum += Double(v)
          squares += Double(v) * Double(v)
          if v > 0 { active = true }
          if tracksSaturation && Double(layer.activation.derivative(activation: v) / maxDerivative) < Self.saturationBound {
            saturated += 1
          }
        }
        inactiveStreak[l][unit] = active ? 0 : inactiveStreak[l][unit] + 1
      }
      let count = Double(max(layer.outputs * b, 1))
      s.activationMean = sum / count
      s.activationStd = max(squares / count - s.activationMean * s.activationMean, 0).squareRoot()
      s.saturatedFraction = tracksSaturation ? Double(saturated) / count : 0
      s.deadFraction = tracksDead ? Double(inactiveStreak[l].filter { $0 >= Self.deadWindow }.count) / Double(layer.outputs) : 0
      s.nonFinite = !finite
      partial[l] = s
    }
  }

  mutating func afterUpdate(network: Network, updateNorms: [Double]) -> [LayerStatistics] {
    for l in network.layers.indices {
      let (w, finite) = network.layers[l].weights.storage.withUnsafeBufferPointer { norm($0) }
      partial[l].weightNorm = w
      partial[l].updateRatio = w > 0 ? updateNorms[l] / w : 0
      if !finite || !updateNorms[l].isFinite { partial[l].nonFinite = true }
    }
    return partial
  }

  /// The Frobenius norm in Double, and whether every value was finite.
  private func norm(_ values: UnsafeBufferPointer<Float>) -> (Double, Bool) {
    var sum = 0.0
    var finite = true
    for v in values {
      if !v.isFinite { finite = false }
      sum += Double(v) * Double(v)
    }
    return (finite ? sum.squareRoot() : .nan, finite)
  }
}
