import Foundation

/// The run log (`--log FILE.jsonl`): one JSON object per line, written and
/// flushed line by line, so a run killed at any moment leaves only complete
/// lines. Lines: a `run` header, `epoch` records, `event`s, a final `summary`.
public final class RunLog {
  public let path: String
  private let handle: FileHandle
  private var closed = false

  /// Creates (or truncates) the log file.
  public init(path: String) throws(RunLogError) {
    self.path = path
    guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
      throw RunLogError(message: "\(path): cannot create the log file")
    }
    self.handle = handle
  }

  /// Appends one line to an existing log (a resumed run).
  public init(appendingTo path: String) throws(RunLogError) {
    self.path = path
    if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
    guard let handle = FileHandle(forWritingAtPath: path) else {
      throw RunLogError(message: "\(path): cannot open the log file")
    }
    handle.seekToEndOfFile()
    self.handle = handle
  }

  deinit { close() }

  /// Writes one object as one line. Write errors are returned, not thrown:
  /// a full disk must not stop training.
  @discardableResult
  public func write(_ object: JSON) -> Bool {
    guard !closed else { return false }
    let line = object.serialized + "\n"
    do {
      try handle.write(contentsOf: Data(line.utf8))
      return true
    } catch {
      return false
    }
  }

  public func close() {
    guard !closed else { return }
    closed = true
    try? handle.synchronize()
    try? handle.close()
  }
}

public struct RunLogError: Error, CustomStringConvertible {
  public let message: String
  public var description: String { message }
}

// MARK: - The lines

extension JSON {
  /// An `epoch` line.
  public static func epoch(_ r: EpochRecord) -> JSON {
    .object([
      ("type", .string("epoch")),
      ("epoch", .number(Double(r.epoch))),
      ("step", .number(Double(r.step))),
      ("time", .finite(r.time.rounded(toPlaces: 4))),
      ("lr", .finite(r.learningRate)),
      ("loss", .finite(r.loss)),
      ("val_loss", .finite(r.validationLoss)),
      ("acc", .finite(r.accuracy)),
      ("val_acc", .finite(r.validationAccuracy)),
      ("rmse", .finite(r.rmse)),
      ("val_rmse", .finite(r.validationRMSE)),
      ("samples_per_s", .finite(r.samplesPerSecond.rounded())),
      ("layers", .array(zip(r.layers, r.health).enumerated().map { i, pair in .layer(i, pair.0, pair.1) })),
    ])
  }

  /// One layer's statistics and verdict, as in `epoch` lines.
  public static func layer(_ index: Int, _ s: LayerStatistics, _ health: LayerHealth) -> JSON {
    .object([
      ("name", .string("W\(index + 1)")),
      ("shape", .array([.number(Double(s.outputs)), .number(Double(s.inputs))])),
      ("grad_norm", .finite(s.gradientNorm)),
      ("bias_grad_norm", .finite(s.biasGradientNorm)),
      ("weight_norm", .finite(s.weightNorm)),
      ("update_ratio", .finite(s.updateRatio)),
      ("act_mean", .finite(s.activationMean)),
      ("act_std", .finite(s.activationStd)),
      ("dead", .finite(s.deadFraction)),
      ("saturated", .finite(s.saturatedFraction)),
      ("nonfinite", .bool(s.nonFinite)),
      ("status", .string(health.status.rawValue)),
      ("reason", health.reason.isEmpty ? .null : .string(health.reason)),
      ("hint", health.hint.isEmpty ? .null : .string(health.hint)),
    ])
  }

  /// An `event` line: `{"type":"event","event":name,"step":…, …fields}`.
  public static func event(_ name: String, step: Int, _ fields: [(String, JSON)] = []) -> JSON {
    .object([("type", .string("event")), ("event", .string(name)), ("step", .number(Double(step)))] + fields)
  }
}

extension Double {
  /// Rounded to `places` decimal places (for compact logs).
  public func rounded(toPlaces places: Int) -> Double {
    let scale = Foundation.pow(10, Double(places))
    return (self * scale).rounded() / scale
  }
}
