import Foundation
import Diagnosis
import RunEvents

/// The run log (`--log FILE.jsonl`): one JSON object per line, written and
/// flushed line by line, so a run killed at any moment leaves only complete
/// lines. Lines: a `run` header, `epoch` records, `event`s, a final `summary`.
///
/// Every write is checked. The first that fails (a full disk, `/dev/full`)
/// is kept in `failure` and ends the log: the session reports it at once
/// and ends the run (exit 74) rather than train on unrecorded.
public final class RunLog {
  public let path: String
  private let fd: Int32
  private var closed = false
  /// Why the log stopped: the first write that failed.
  public private(set) var failure: String?

  /// Creates (or truncates) the log file. Whether it may be replaced is
  /// `OutputGuard`'s to say, before this.
  public convenience init(path: String) throws(RunLogError) {
    try self.init(path: path, flags: O_TRUNC)
  }

  /// Appends to an existing log (a resumed run).
  public convenience init(appendingTo path: String) throws(RunLogError) {
    try self.init(path: path, flags: O_APPEND)
  }

  private init(path: String, flags: Int32) throws(RunLogError) {
    self.path = path
    fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | flags, 0o644)
    guard fd >= 0 else { throw RunLogError(message: "\(path): cannot create the log file (\(String(cString: strerror(errno))))") }
  }

  deinit { close() }

  /// Writes one object as one line; false (and `failure` set) if it could
  /// not be written whole. Once a write failed, nothing more is written.
  @discardableResult
  public func write(_ object: JSON) -> Bool {
    guard !closed, failure == nil else { return false }
    let bytes = Array((object.serialized + "\n").utf8)
    guard let error = bytes.withUnsafeBytes({ OutputFile.writeAll(fd, $0) }) else { return true }
    failure = "\(path): cannot write the run log (\(String(cString: strerror(error))))"
    return false
  }

  public func close() {
    guard !closed else { return }
    closed = true
    if fsync(fd) != 0, errno != EINVAL, failure == nil {
      failure = "\(path): cannot write the run log (\(String(cString: strerror(errno))))"
    }
    Foundation.close(fd)
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
