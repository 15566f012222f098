import Foundation
import RunEvents

/// A run another tool logs to CSV, followed live: Lightning's `CSVLogger`
/// (`metrics.csv`: a row per logging step, sparse, rewritten whole when a
/// new column appears) and Keras' `CSVLogger` (a row per epoch). The file is
/// read again whenever it changes, and its rows become the run's events:
/// training losses (and accuracy) as samples, validation columns as epochs.
/// Read-only: there is no one to send commands to.
public struct CSVLoggerRun: ReadOnlyRun {
  public let path: String
  public private(set) var view: RunView?
  /// Why the file could not be read as a metrics log, if it could not.
  public private(set) var problem: String?
  private var seen: (size: Int, modified: Date)?

  public static let kind = "a CSV log"
  /// A CSV is read whole each time: a bad row is a problem, not a skipped record.
  public let warnings: [String] = []

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
  public mutating func poll(now: Double = 0) -> Bool {
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

  /// The run a whole CSV log describes: each column a named series over
  /// the `step` column (Lightning) or the epoch (Keras, which counts from 0
  /// and has no step), folded by `ScalarRunView`.
  static func view(of text: String, name: String) throws(RecordError) -> RunView {
    let lines = text.split(whereSeparator: \.isNewline).map(String.init)
    guard let first = lines.first else { throw RecordError("empty: no header row yet") }
    let columns = first.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
    let step = columns.firstIndex(of: "step"), epoch = columns.firstIndex(of: "epoch")
    let lightning = step != nil
    var series = columns.map { ScalarRunView.Scalars(name: $0, points: []) }
    var epochs: [Int: Int] = [:]
    for line in lines.dropFirst() {
      let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
      func value(_ i: Int?) -> Double? { i.flatMap { $0 < fields.count ? Double(fields[$0]) : nil } }
      // A step or epoch that is no whole number in range (nan, inf, 1e300) leaves its row out.
      func whole(_ v: Double?) -> Int? { v.flatMap { $0.isFinite && abs($0) < 1e15 ? Int($0) : nil } }
      let epochNumber = whole(value(epoch)) ?? 0
      guard let x = whole(value(step)) ?? (lightning ? nil : epochNumber + 1) else { continue }
      epochs[x] = epochNumber
      for (i, column) in columns.enumerated() where !MetricName.axisNames.contains(column.lowercased()) {
        if let v = value(i), v.isFinite { series[i].points.append((x, v)) }
      }
    }
    let builder = ScalarRunView(
      dataName: name, description: lightning ? "Lightning CSVLogger" : "Keras CSVLogger", source: "csv",
      origin: "csv · \(lightning ? "Lightning" : "Keras") · read-only", seriesKind: "column", epochs: epochs)
    return try builder.view(series.filter { !MetricName.axisNames.contains($0.name.lowercased()) && !$0.name.isEmpty })
  }
}
