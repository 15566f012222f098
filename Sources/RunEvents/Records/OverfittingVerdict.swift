import NumberFormat

/// The run-level verdict: the validation loss has climbed well above its best
/// while the training loss still falls. Carried by the `epoch` line that
/// judged it (and so by the summary's last epoch); the numbers are the
/// judge's, the words Diagnosis's. Its JSON is the `overfitting` field:
/// `{"since":E,"best_epoch":B,"best_step":S,"best_val_loss":…,"val_loss":…,"loss":…,"best_loss":…,"reason":…,"hint":…}`.
public struct OverfittingVerdict: Sendable, Equatable {
  /// The first epoch of the rise that the verdict is about.
  public var since: Int
  /// The epoch (and its last step) with the lowest validation loss so far.
  public var bestEpoch: Int
  public var bestStep: Int
  public var bestValidationLoss: Double
  /// The validation loss of the epoch judged.
  public var validationLoss: Double
  /// The training loss now (the mean of the recent epochs) and at the best epoch.
  public var trainingLoss: Double
  public var bestTrainingLoss: Double
  /// Why, with the numbers, and what to try.
  public var reason: String
  public var hint: String

  public init(
    since: Int, bestEpoch: Int, bestStep: Int, bestValidationLoss: Double, validationLoss: Double, trainingLoss: Double,
    bestTrainingLoss: Double, reason: String, hint: String
  ) {
    self.since = since
    self.bestEpoch = bestEpoch
    self.bestStep = bestStep
    self.bestValidationLoss = bestValidationLoss
    self.validationLoss = validationLoss
    self.trainingLoss = trainingLoss
    self.bestTrainingLoss = bestTrainingLoss
    self.reason = reason
    self.hint = hint
  }

  /// The badge word.
  public static let badge = "OVERFITTING"

  /// "reason: hint", the one line the dashboard and the report show.
  public var message: String { hint.isEmpty ? reason : "\(reason): \(hint)" }

  /// `OVERFITTING since epoch 29: reason: hint`, as the dashboard, the summary and the report say it.
  public var headline: String { "\(Self.badge) since epoch \(since): \(message)" }

  /// `1.5× ` — the validation loss as a multiple of its best (empty when the best is 0).
  public static func times(_ loss: Double, best: Double) -> String {
    best > 0 && loss.isFinite ? "\(fixed(loss / best, 1))× " : ""
  }

  public var json: JSON {
    .object([
      ("since", .int(since)),
      ("best_epoch", .int(bestEpoch)),
      ("best_step", .int(bestStep)),
      ("best_val_loss", .finite(bestValidationLoss)),
      ("val_loss", .finite(validationLoss)),
      ("loss", .finite(trainingLoss)),
      ("best_loss", .finite(bestTrainingLoss)),
      ("reason", .string(reason)),
      ("hint", .string(hint)),
    ])
  }

  /// Reads the `overfitting` field; nil when it is absent or null.
  public init?(json: JSON?) {
    guard let json, json.objectValue != nil else { return nil }
    func d(_ key: String) -> Double { json[key]?.doubleValue ?? .nan }
    self.init(
      since: json["since"]?.intValue ?? 0, bestEpoch: json["best_epoch"]?.intValue ?? 0, bestStep: json["best_step"]?.intValue ?? 0,
      bestValidationLoss: d("best_val_loss"), validationLoss: d("val_loss"), trainingLoss: d("loss"), bestTrainingLoss: d("best_loss"),
      reason: json["reason"]?.stringValue ?? "", hint: json["hint"]?.stringValue ?? "")
  }
}
