import Foundation

/// A run log read back: its header and its events in order, for `nntop
/// replay`, `nntop plot` and resuming a dashboard's history. An incomplete
/// last line (a run killed while writing it) is dropped; any other line that
/// cannot be read is skipped with a warning naming it (`warnings`), and the
/// rest is shown. A log without its `run` header, or of a newer schema, is
/// refused. A run resumed from a checkpoint appends a `resume-run` event at
/// the checkpoint's step: the lines after that step before it (training the
/// checkpoint did not keep) are dropped.
public struct RunRecording: Sendable {
  public var header: RunHeader
  /// Everything after the header.
  public var events: [RunEvent]
  /// Whether the log ends with a `summary` (the run ended cleanly).
  public var complete: Bool
  /// The lines skipped as damaged: `run.jsonl:12: skipped: not a JSON line (…)`.
  public var warnings: [String] = []
  /// Their line numbers (1-based).
  public var skippedLines: [Int] = []

  public var info: RunInfo { header.info }

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
    var header: RunHeader?
    var events: [RunEvent] = []
    var complete = false
    var warnings: [String] = []
    var skippedLines: [Int] = []
    for (index, raw) in lines.enumerated() where !raw.isEmpty {
      func skip(_ why: String) {
        warnings.append("\(file):\(index + 1): skipped: \(why)")
        skippedLines.append(index + 1)
      }
      let json: JSON
      do { json = try JSON(parsing: Array(raw)) } catch {
        skip("not a JSON line (\(error))")
        continue
      }
      let event: RunEvent
      do { event = try RunEvent(json: json) } catch {
        if json["type"]?.stringValue == "run", header == nil { throw RecordingError("\(file): \(error)") }
        skip(error.description)
        continue
      }
      switch event {
      case .run(let h):
        if header == nil { header = h }
      case .event(let e) where e.kind.name == "resume-run":
        events.removeAll { $0.step.map { $0 > e.step } ?? true }
        complete = false
        events.append(event)
      case .summary:
        events.append(event)
        complete = true
      default:
        events.append(event)
      }
    }
    guard let header else {
      throw RecordingError("\(file): not an nntop run log (no \"run\" line\(warnings.first.map { "; " + $0 } ?? ""))")
    }
    self.header = header
    self.events = events
    self.complete = complete
    self.warnings = warnings
    self.skippedLines = skippedLines
  }

  /// The events up to `step` (what a checkpoint saved at `step` had seen).
  public func truncated(after step: Int) -> RunRecording {
    var copy = self
    copy.events.removeAll { $0.step.map { $0 > step } ?? true }
    copy.complete = false
    return copy
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

extension RunRecording {
  /// The whole recording folded into a view (its end, as the dashboard would show it).
  public var view: RunView {
    var view = RunView(header: header)
    for event in events { view.apply(event) }
    return view
  }
}
