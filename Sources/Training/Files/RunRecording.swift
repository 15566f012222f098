import Datasets
import Foundation
import NeuralNet
import Diagnosis
import RunEvents

/// A run log read back: its header and its lines in order, for `nntop
/// replay`, `nntop plot` and resuming a dashboard's history. An incomplete
/// last line (a run killed while writing it) is dropped; any other line that
/// cannot be read is skipped with a warning naming it (`warnings`), and the
/// rest is shown. Only a log without its `run` header is refused. A run resumed from a checkpoint
/// appends a `resume-run` event at the checkpoint's step: the lines after
/// that step before it (training the checkpoint did not keep) are dropped.
public struct RunRecording: Sendable {
  public enum Entry: Sendable {
    case sample(Sample)
    case epoch(Epoch)
    case event(Event)
    case weights(step: Int, layers: [(w: [Float], b: [Float])])
    case summary(ending: String)

    /// The step the line was written at (a summary: none).
    public var step: Int? {
      switch self {
      case .sample(let s): s.step
      case .epoch(let e): e.step
      case .event(let e): e.step
      case .weights(let step, _): step
      case .summary: nil
      }
    }
  }

  public struct Sample: Sendable {
    public var step: Int
    public var epoch: Int
    public var time: Double
    public var learningRate: Float
    /// How far the current epoch is, 0..<1.
    public var epochProgress: Double
    public var loss: Series.Bucket
    public var metric: Series.Bucket
    public var layers: [LayerStatistics]
    public var health: [LayerHealth]
  }

  public struct Epoch: Sendable {
    public var epoch: Int
    public var step: Int
    public var time: Double
    public var loss: Double?
    public var validationLoss: Double?
    /// Accuracy, or RMSE for regression.
    public var metric: Double?
    public var validationMetric: Double?
    public var layers: [LayerStatistics]
  }

  public struct Event: Sendable {
    public var name: String
    public var step: Int
    public var fields: JSON
  }

  public var info: RunInfo
  public var batchSize: Int
  /// η at the start of the run.
  public var learningRate: Float
  public var lossFunction: Loss?
  public var entries: [Entry]
  /// Whether the log ends with a `summary` (the run ended cleanly).
  public var complete: Bool
  /// The lines skipped as damaged: `run.jsonl:12: skipped: not a JSON line (…)`.
  public var warnings: [String] = []
  /// Their line numbers (1-based).
  public var skippedLines: [Int] = []

  public init(path: String) throws(RecordingError) {
    guard FileManager.default.fileExists(atPath: path) else { throw RecordingError("\(path): no such file", unreadable: true) }
    guard let data = FileManager.default.contents(atPath: path) else { throw RecordingError("\(path): cannot be read", unreadable: true) }
    try self.init(bytes: [UInt8](data), file: path)
  }

  public init(bytes: [UInt8], file: String) throws(RecordingError) {
    var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
    if let last = lines.last, !last.isEmpty, bytes.last != UInt8(ascii: "\n") {
      lines.removeLast()  // cut off mid-write
    }
    var header: JSON?
    var entries: [Entry] = []
    var complete = false
    var warnings: [String] = []
    var skippedLines: [Int] = []
    for (index, raw) in lines.enumerated() where !raw.isEmpty {
      let line: JSON
      do { line = try JSON(parsing: Array(raw)) } catch {
        warnings.append("\(file):\(index + 1): skipped: not a JSON line (\(error))")
        skippedLines.append(index + 1)
        continue
      }
      switch line["type"]?.stringValue {
      case "run": if header == nil { header = line }
      case "sample":
        do { entries.append(.sample(try Self.sample(line, file: file, line: index + 1))) } catch {
          warnings.append("\(error.description): skipped")
          skippedLines.append(index + 1)
        }
      case "epoch": entries.append(.epoch(Self.epoch(line)))
      case "event":
        let event = Event(name: line["event"]?.stringValue ?? "?", step: line["step"]?.intValue ?? 0, fields: line)
        if event.name == "resume-run" {
          entries.removeAll { entry in entry.step.map { $0 > event.step } ?? true }
          complete = false
        }
        entries.append(.event(event))
      case "weights":
        let layers = (line["layers"]?.arrayValue ?? []).map { layer in
          (w: Self.floats(layer["w"]), b: Self.floats(layer["b"]))
        }
        entries.append(.weights(step: line["step"]?.intValue ?? 0, layers: layers))
      case "summary":
        entries.append(.summary(ending: line["ending"]?.stringValue ?? ""))
        complete = true
      default:
        warnings.append("\(file):\(index + 1): skipped: a line without a known \"type\"")
        skippedLines.append(index + 1)
      }
    }
    guard let header else {
      throw RecordingError("\(file): not an nntop run log (no \"run\" line\(warnings.first.map { "; " + $0 } ?? ""))")
    }
    info = try Self.info(header, file: file)
    batchSize = header["batch"]?.intValue ?? 0
    learningRate = Float(header["lr"]?.doubleValue ?? 0)
    lossFunction = header["loss_fn"]?.stringValue.flatMap(Loss.init(rawValue:))
    self.entries = entries
    self.complete = complete
    self.warnings = warnings
    self.skippedLines = skippedLines
  }

  /// The lines up to `step` (what a checkpoint saved at `step` had seen).
  public func truncated(after step: Int) -> RunRecording {
    var copy = self
    copy.entries.removeAll { entry in entry.step.map { $0 > step } ?? true }
    copy.complete = false
    return copy
  }

  static func floats(_ json: JSON?) -> [Float] {
    (json?.arrayValue ?? []).map { Float($0.doubleValue ?? .nan) }
  }

  static func info(_ h: JSON, file: String) throws(RecordingError) -> RunInfo {
    guard let shapes = h["layers"]?.arrayValue?.compactMap({ $0.arrayValue?.compactMap(\.intValue) }), !shapes.isEmpty,
      shapes.allSatisfy({ $0.count == 2 })
    else { throw RecordingError("\(file): the run header has no layer shapes") }
    let activations = (h["activations"]?.arrayValue ?? []).compactMap { $0.stringValue.flatMap(Activation.init(rawValue:)) }
    guard activations.count == shapes.count else { throw RecordingError("\(file): the run header's activations do not match its layers") }
    let image = h["image_shape"]?.arrayValue?.compactMap(\.intValue)
    let points = (h["points"]?.arrayValue ?? []).compactMap { p -> PlanePoint? in
      guard let v = p.arrayValue, v.count == 3, let x = v[0].doubleValue, let y = v[1].doubleValue, let l = v[2].intValue else { return nil }
      return PlanePoint(x: Float(x), y: Float(y), label: l)
    }
    return RunInfo(
      dataName: h["data"]?.stringValue ?? "?", networkDescription: h["network"]?.stringValue ?? "?",
      layerShapes: shapes.map { (inputs: $0[1], outputs: $0[0]) }, activations: activations,
      imageShape: image.flatMap { $0.count == 2 ? ImageShape(rows: $0[0], cols: $0[1]) : nil },
      classNames: (h["classes"]?.arrayValue ?? []).compactMap(\.stringValue),
      isClassification: h["task"]?.stringValue != "regression", trainCount: h["train"]?.intValue ?? 0,
      epochs: h["epochs"]?.intValue, points: points)
  }

  static func bucket(_ json: JSON?, x: Double) -> Series.Bucket? {
    guard let v = json?.arrayValue, v.count == 4, let mean = v[0].doubleValue, let lo = v[1].doubleValue, let hi = v[2].doubleValue,
      let n = v[3].intValue, n > 0
    else { return nil }
    return Series.Bucket(x: x, min: Float(lo), max: Float(hi), sum: mean * Double(n), count: n, last: Float(mean))
  }

  static func layers(_ json: JSON?) -> (stats: [LayerStatistics], health: [LayerHealth]) {
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

  static func sample(_ line: JSON, file: String, line number: Int) throws(RecordingError) -> Sample {
    let step = line["step"]?.intValue ?? 0
    guard let loss = bucket(line["loss"], x: Double(step)) else { throw RecordingError("\(file):\(number): a sample without a loss") }
    let (stats, health) = layers(line["layers"])
    return Sample(
      step: step, epoch: line["epoch"]?.intValue ?? 0, time: line["time"]?.doubleValue ?? 0,
      learningRate: Float(line["lr"]?.doubleValue ?? .nan), epochProgress: line["epoch_progress"]?.doubleValue ?? 0, loss: loss, metric: bucket(line["metric"], x: Double(step)) ?? loss,
      layers: stats, health: health)
  }

  static func epoch(_ line: JSON) -> Epoch {
    Epoch(
      epoch: line["epoch"]?.intValue ?? 0, step: line["step"]?.intValue ?? 0, time: line["time"]?.doubleValue ?? 0,
      loss: line["loss"]?.doubleValue, validationLoss: line["val_loss"]?.doubleValue,
      metric: line["acc"]?.doubleValue ?? line["rmse"]?.doubleValue,
      validationMetric: line["val_acc"]?.doubleValue ?? line["val_rmse"]?.doubleValue, layers: layers(line["layers"]).stats)
  }
}

public struct RecordingError: Error, CustomStringConvertible {
  public let description: String
  /// The file is missing or unreadable (EX_NOINPUT), not malformed.
  public let unreadable: Bool
  public init(_ description: String, unreadable: Bool = false) {
    self.description = description
    self.unreadable = unreadable
  }
}
