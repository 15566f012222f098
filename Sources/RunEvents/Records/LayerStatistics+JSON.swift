/// One layer's statistics and verdict, as `sample` and `epoch` lines carry them:
/// `{"name":"W1","shape":[out,in],"grad_norm":…,"status":"ok","reason":…,"hint":…}`.
public enum LayerJSON {
  public static func json(_ index: Int, _ s: LayerStatistics, _ health: LayerHealth?) -> JSON {
    var pairs: [(String, JSON)] = [
      ("name", .string("W\(index + 1)")),
      ("shape", .array([.int(s.outputs), .int(s.inputs)])),
      ("grad_norm", .finite(s.gradientNorm)),
      ("bias_grad_norm", .finite(s.biasGradientNorm)),
      ("weight_norm", .finite(s.weightNorm)),
      ("update_ratio", .finite(s.updateRatio)),
      ("act_mean", .finite(s.activationMean)),
      ("act_std", .finite(s.activationStd)),
      ("dead", .finite(s.deadFraction)),
      ("saturated", .finite(s.saturatedFraction)),
      ("nonfinite", .bool(s.nonFinite)),
    ]
    if let health {
      pairs += [
        ("status", .string(health.status.rawValue)),
        ("reason", health.reason.isEmpty ? .null : .string(health.reason)),
        ("hint", health.hint.isEmpty ? .null : .string(health.hint)),
      ]
    }
    return .object(pairs)
  }

  /// All layers of a line; a layer without a verdict reads as `ok`.
  public static func json(_ layers: [LayerStatistics], _ health: [LayerHealth]) -> JSON {
    .array(layers.enumerated().map { i, s in json(i, s, i < health.count ? health[i] : nil) })
  }

  /// The layers of a line: missing numbers read as NaN, a missing verdict as `ok`.
  public static func read(_ json: JSON?) -> (stats: [LayerStatistics], health: [LayerHealth]) {
    var stats: [LayerStatistics] = [], health: [LayerHealth] = []
    for layer in json?.arrayValue ?? [] {
      let shape = layer["shape"]?.arrayValue?.compactMap(\.intValue) ?? [0, 0]
      func d(_ k: String) -> Double { layer[k]?.doubleValue ?? .nan }
      stats.append(
        LayerStatistics(
          inputs: shape.count == 2 ? shape[1] : 0, outputs: shape.first ?? 0, gradientNorm: d("grad_norm"),
          biasGradientNorm: d("bias_grad_norm"), weightNorm: d("weight_norm"), updateRatio: d("update_ratio"),
          activationMean: d("act_mean"), activationStd: d("act_std"), deadFraction: layer["dead"]?.doubleValue ?? 0,
          saturatedFraction: layer["saturated"]?.doubleValue ?? 0, nonFinite: layer["nonfinite"]?.boolValue ?? false))
      health.append(
        LayerHealth(
          status: layer["status"]?.stringValue.flatMap(HealthStatus.init(rawValue:)) ?? .ok,
          reason: layer["reason"]?.stringValue ?? "", hint: layer["hint"]?.stringValue ?? ""))
    }
    return (stats, health)
  }
}
