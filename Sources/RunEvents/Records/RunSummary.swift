import Foundation
import NumberFormat

/// How a run ended, for the log's last line and the last printed line.
public struct RunSummary: Sendable {
  public enum Ending: String, Sendable {
    case completed, quit, diverged
    /// SIGINT (Ctrl-C), SIGTERM, SIGHUP.
    case interrupted, terminated, hangup
    /// SIGQUIT (Ctrl-\): ends like SIGTERM, never with a crash report.
    case quitSignal = "sigquit"
    /// The reader of stdout went away (`nntop … | head`).
    case outputClosed = "output-closed"
    case earlyStopped = "early-stopped"
    /// The run log or the TensorBoard file could not be written (exit 74).
    case writeFailed = "write-failed"
    /// An exception ended a watched run's script.
    case failed
  }

  public var ending: Ending
  public var epochs: Int
  public var steps: Int
  public var time: Double
  public var last: EpochRecord?
  /// The epoch with the best validation accuracy (classification).
  public var best: EpochRecord?

  public init(last: EpochRecord?, best: EpochRecord?, epochs: Int, steps: Int, time: Double, ending: Ending) {
    self.ending = ending
    self.epochs = epochs
    self.steps = steps
    self.time = time
    self.last = last
    self.best = best
  }

  /// Whether `record` beats `best` on validation accuracy (the earlier wins a tie).
  public static func isBetter(_ record: EpochRecord, than best: EpochRecord?) -> Bool {
    guard let accuracy = record.validationAccuracy else { return false }
    return accuracy > (best?.validationAccuracy ?? -1)
  }

  /// `done: 30 epochs, 1,350 steps in 0.05 s · val_acc 97.2% (best 97.8% at epoch 13) · loss 0.0037`
  public var text: String {
    let pct = ChartFormat.percent
    let word = ending == .completed ? "done" : ending == .earlyStopped ? "stopped early" : ending.rawValue
    var s = "\(word): \(counted(epochs, "epoch")), \(counted(steps, "step")) in \(fixed(time, 2)) s"
    if let last {
      if let v = last.validationAccuracy {
        s += " · val_acc \(pct(v))"
        if let best, let b = best.validationAccuracy, b > v { s += " (best \(pct(b)) at epoch \(best.epoch))" }
      } else if let a = last.accuracy {
        s += " · acc \(pct(a))"
      }
      if let rmse = last.validationRMSE ?? last.rmse { s += " · rmse " + lossText(rmse) }
      s += " · loss " + lossText(last.loss)
      if let o = last.overfitting { s += " · " + o.headline }
    }
    return s
  }
}

extension RunSummary {
  /// `{"type":"summary","ending":…,"epochs":…,"steps":…,"loss":…,"best_val_acc":…}`.
  public var json: JSON {
    .object([
      ("type", .string("summary")),
      ("ending", .string(ending.rawValue)),
      ("epochs", .int(epochs)),
      ("steps", .int(steps)),
      ("time", .finite(time.rounded(toPlaces: 4))),
      ("loss", .finite(last?.loss)),
      ("val_loss", .finite(last?.validationLoss)),
      ("acc", .finite(last?.accuracy)),
      ("val_acc", .finite(last?.validationAccuracy)),
      ("rmse", .finite(last?.rmse)),
      ("val_rmse", .finite(last?.validationRMSE)),
      ("best_val_acc", .finite(best?.validationAccuracy)),
      ("best_epoch", best.map { .int($0.epoch) } ?? .null),
      // The run ended overfitting: the verdict, or null.
      ("overfitting", last?.overfitting?.json ?? .null),
    ])
  }

  /// Reads a `summary` line: the last epoch's numbers, and the best epoch's accuracy.
  public init(json line: JSON) throws(RecordError) {
    let name = line["ending"]?.stringValue ?? ""
    guard let ending = Ending(rawValue: name) else { throw RecordError("a summary with an unknown ending \"\(name)\"") }
    let epochs = line["epochs"]?.intValue ?? 0, steps = line["steps"]?.intValue ?? 0, time = line["time"]?.doubleValue ?? 0
    let last = line["loss"]?.doubleValue.map { loss in
      EpochRecord(
        epoch: epochs, step: steps, time: time, learningRate: .nan, loss: loss, validationLoss: line["val_loss"]?.doubleValue,
        accuracy: line["acc"]?.doubleValue, validationAccuracy: line["val_acc"]?.doubleValue, rmse: line["rmse"]?.doubleValue,
        validationRMSE: line["val_rmse"]?.doubleValue, overfitting: OverfittingVerdict(json: line["overfitting"]))
    }
    let best = line["best_val_acc"]?.doubleValue.map { accuracy in
      EpochRecord(epoch: line["best_epoch"]?.intValue ?? 0, step: 0, time: 0, learningRate: .nan, loss: .nan, validationAccuracy: accuracy)
    }
    self.init(last: last, best: best, epochs: epochs, steps: steps, time: time, ending: ending)
  }
}
