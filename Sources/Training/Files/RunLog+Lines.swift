import Foundation
import NeuralNet
import Diagnosis
import RunEvents

/// The lines of the run log besides `epoch` and `event` (RunLog.swift): the
/// `run` header, `sample`s of the training curves and layer statistics, and
/// `weights` at a lower rate. Together they carry what `nntop replay` needs
/// to draw the dashboard again.
extension JSON {
  /// The `run` header: what was trained on what (enough to rebuild `RunInfo`),
  /// plus `settings` (optimizer, batch, seed…) from the caller.
  public static func runHeader(_ info: RunInfo, mode: String, settings: [(String, JSON)]) -> JSON {
    var pairs: [(String, JSON)] = [
      ("type", .string("run")),
      ("mode", .string(mode)),
      ("data", .string(info.dataName)),
      ("network", .string(info.networkDescription)),
      ("layers", .array(info.layerShapes.map { .array([.number(Double($0.outputs)), .number(Double($0.inputs))]) })),
      ("activations", .array(info.activations.map { .string($0.rawValue) })),
      ("task", .string(info.isClassification ? "classification" : "regression")),
      ("classes", .array(info.classNames.map { .string($0) })),
      ("train", .number(Double(info.trainCount))),
      ("epochs", info.epochs.map { .number(Double($0)) } ?? .null),
    ]
    if let shape = info.imageShape { pairs.append(("image_shape", .array([.number(Double(shape.rows)), .number(Double(shape.cols))]))) }
    if !info.points.isEmpty {
      pairs.append(("points", .array(info.points.map { .array([.compact($0.x), .compact($0.y), .number(Double($0.label))]) })))
    }
    return .object(pairs + settings)
  }

  /// A `sample`: the training loss and metric of every step since the last
  /// sample, as `[mean, min, max, count]`, and the layers at this step.
  public static func sample(step: Int, epoch: Int, epochProgress: Double, time: Double, learningRate: Float, loss: Series.Bucket, metric: Series.Bucket, layers: [LayerStatistics], health: [LayerHealth]) -> JSON {
    func bucket(_ b: Series.Bucket) -> JSON {
      .array([.finite(b.mean), .finite(b.min), .finite(b.max), .number(Double(b.count))])
    }
    return .object([
      ("type", .string("sample")),
      ("step", .number(Double(step))),
      ("epoch", .number(Double(epoch))),
      ("epoch_progress", .finite(epochProgress.rounded(toPlaces: 4))),
      ("time", .finite(time.rounded(toPlaces: 4))),
      ("lr", .finite(learningRate)),
      ("loss", bucket(loss)),
      ("metric", bucket(metric)),
      ("layers", .array(zip(layers, health).enumerated().map { i, pair in .layer(i, pair.0, pair.1) })),
    ])
  }

  /// A `weights` line: every layer's W (row-major) and b, to 4 significant digits.
  public static func weights(step: Int, _ network: Network) -> JSON {
    .object([
      ("type", .string("weights")),
      ("step", .number(Double(step))),
      ("layers", .array(network.layers.map { layer in
        .object([("w", .array(layer.weights.storage.map { .compact($0) })), ("b", .array(layer.bias.map { .compact($0) }))])
      })),
    ])
  }

  /// A float to 4 significant digits (weights and points: what a heatmap
  /// can show), rounded arithmetically — formatting and re-parsing text per
  /// value cost a microsecond each. Dividing (or multiplying) an integer by
  /// an exact power of ten gives the double nearest the 4-digit decimal, which
  /// serialises as that decimal.
  public static func compact(_ v: Float) -> JSON {
    guard v.isFinite else { return .null }
    guard v != 0 else { return .number(0) }
    let d = Double(v)
    let exponent = Int(Foundation.log10(Swift.abs(d)).rounded(.down))
    if exponent <= 3 {
      let scale = powerOfTen(3 - exponent)
      return .number((d * scale).rounded() / scale)
    }
    let scale = powerOfTen(exponent - 3)
    return .number((d / scale).rounded() * scale)
  }

  private static let powersOfTen: [Double] = (0...22).map { Foundation.pow(10, Double($0)) }

  /// 10^n, exact for n ≤ 22 (floats need at most 10^48).
  private static func powerOfTen(_ n: Int) -> Double {
    n <= 22 ? powersOfTen[n] : Foundation.pow(10, Double(n))
  }
}
