import Foundation
import RunEvents

/// A run another tool logs to CSV, followed live: Lightning's `CSVLogger`
/// (`metrics.csv`: a row per logging step, sparse, rewritten whole when a
/// new column appears) and Keras' `CSVLogger` (a row per epoch). The file is
/// read again whenever it changes, and its rows become the run's events:
/// training losses (and accuracy) as samples, validation columns as epochs.
/// Read-only: there is no one to send commands to.
public struct CSVLoggerRun {
  public let path: String
  public private(set) var view: RunView?
  /// Why the file could not be read as a metrics log, if it could not.
  public private(set) var problem: String?
  private var seen: (size: Int, modified: Date)?

  public init(path: String) {
    self.path = path
  }

  /// The CSV log in `path`: the file itself, or a folder's `metrics.csv` (Lightning's `version_N/`).
  public static func logFile(at path: String) -> String? {
    if path.hasSuffix(".csv") { return path }
    let metrics = (path as NSString).appendingPathComponent("metrics.csv")
    return FileManager.default.fileExists(atPath: metrics) ? metrics : nil
  }

  /// Reads the file again if it changed; true when the view changed.
  public mutating func poll() -> Bool {
    guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
      let size = attributes[.size] as? Int, let modified = attributes[.modificationDate] as? Date
    else { return false }
    if let seen, seen.size == size, seen.modified == modified { return false }
    seen = (size, modified)
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
      problem = "\(path): cannot be read as text"
      return false
    }
    do {
      view = try Self.view(of: text, name: (path as NSString).lastPathComponent)
      problem = nil
    } catch {
      problem = "\(path): \(error)"
    }
    return true
  }

  /// The columns that mean the same thing in the loggers' usual names.
  static let trainLoss = ["train_loss", "train_loss_step", "loss", "train_loss_epoch"]
  static let trainAccuracy = ["train_acc", "train_acc_step", "acc", "accuracy", "train_accuracy"]
  static let validationLoss = ["val_loss", "val_loss_epoch", "validation_loss"]
  static let validationAccuracy = ["val_acc", "val_accuracy", "val_acc_epoch", "validation_accuracy"]
  static let learningRate = ["lr", "learning_rate", "lr-SGD", "lr-Adam", "lr-AdamW"]

  /// The run a whole CSV log describes, folded by the one reducer.
  static func view(of text: String, name: String) throws(RecordError) -> RunView {
    let lines = text.split(whereSeparator: \.isNewline).map(String.init)
    guard let first = lines.first else { throw RecordError("empty: no header row yet") }
    let columns = first.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
    func column(_ names: [String]) -> Int? { names.lazy.compactMap { columns.firstIndex(of: $0) }.first }
    let step = columns.firstIndex(of: "step"), epoch = columns.firstIndex(of: "epoch")
    let loss = column(Self.trainLoss), validation = column(Self.validationLoss)
    guard loss != nil || validation != nil else {
      throw RecordError("no loss column (looked for \((Self.trainLoss + Self.validationLoss).joined(separator: ", ")))")
    }
    let accuracy = column(Self.trainAccuracy), validationAccuracy = column(Self.validationAccuracy)
    let lr = column(Self.learningRate)
    let lightning = step != nil
    let info = RunInfo(
      dataName: name, networkDescription: lightning ? "Lightning CSVLogger" : "Keras CSVLogger", layerShapes: [], activations: [],
      imageShape: nil, classNames: [], isClassification: accuracy != nil || validationAccuracy != nil, trainCount: 0, epochs: nil, points: [])
    var view = RunView(header: RunHeader(source: "csv", mode: "watched", info: info, batchSize: 0, learningRate: .nan, lossFunction: nil))
    view.origin = "csv · \(lightning ? "Lightning" : "Keras") · read-only"
    for line in lines.dropFirst() {
      let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
      func value(_ i: Int?) -> Double? { i.flatMap { $0 < fields.count ? Double(fields[$0]) : nil } }
      // Keras counts epochs from 0 with no step column: the epoch is the x.
      let epochNumber = value(epoch).map { Int($0) } ?? 0
      let x = value(step).map { Int($0) } ?? (epochNumber + 1)
      let eta = value(lr).map { Float($0) } ?? view.learningRate
      if let l = value(loss) {
        // Without a training-accuracy column the metric curve stays empty (not the loss in percent).
        let metric = value(accuracy) ?? (accuracy == nil && validationAccuracy == nil ? l : .nan)
        view.apply(
          .sample(
            RunSample(
              step: x, epoch: epochNumber, epochProgress: 0, time: 0, learningRate: eta, loss: Series.Bucket(x: Double(x), Float(l)),
              metric: Series.Bucket(x: Double(x), Float(metric)))))
      }
      let validationLoss = value(validation), validationMetric = value(validationAccuracy)
      if validationLoss != nil || validationMetric != nil {
        view.apply(
          .epoch(
            EpochRecord(
              epoch: epochNumber + 1, step: x, time: 0, learningRate: eta, loss: value(loss) ?? .nan, validationLoss: validationLoss,
              validationAccuracy: validationMetric)))
      }
      if eta.isFinite { view.learningRate = eta }
    }
    view.state = .running
    return view
  }
}
