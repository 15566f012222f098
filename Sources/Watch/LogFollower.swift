import Interop
import RunEvents

/// Follows a run log that another process is writing: each `poll()` reads
/// the bytes added since the last one and returns the complete lines among
/// them as events; a line still being written waits for its newline. A log
/// that does not exist yet is waited for; one replaced or cut short (a new
/// run in the same folder) is read again from its start (`restarted`).
public struct LogFollower {
  public var path: String { file.path }
  private var file: FileTail
  private var pending: [UInt8] = []
  private var lineNumber = 0
  /// Lines skipped as damaged, `log.jsonl:12: skipped: …` (the newest last, at most 20).
  public private(set) var warnings: [String] = []

  public init(path: String) {
    file = FileTail(path: path)
  }

  /// What a poll found.
  public struct Update {
    public var events: [RunEvent] = []
    /// The file was replaced or cut short: forget what was read before.
    public var restarted = false
    /// The file exists.
    public var exists = false
  }

  /// Reads what was appended since the last poll (at most `limit` bytes, so a
  /// huge finished log is read in slices and the screen keeps drawing).
  public mutating func poll(limit: Int = 8 << 20) -> Update {
    let read = file.read(limit: limit)
    var update = Update(restarted: read.restarted, exists: read.exists)
    if read.restarted {
      pending = []
      lineNumber = 0
    }
    guard !read.bytes.isEmpty else { return update }
    file.consume(read.bytes.count)
    pending += read.bytes
    var start = pending.startIndex
    while let newline = pending[start...].firstIndex(of: UInt8(ascii: "\n")) {
      lineNumber += 1
      let line = Array(pending[start..<newline])
      start = newline + 1
      guard !line.isEmpty else { continue }
      // The same words as `RunRecording` for the same damage.
      guard let json = try? JSON(parsing: line) else {
        warn("\(path):\(lineNumber): skipped: not a JSON line")
        continue
      }
      do {
        update.events.append(try RunEvent(json: json))
      } catch {
        warn("\(path):\(lineNumber): skipped: \(error)")
      }
    }
    pending.removeFirst(start - pending.startIndex)
    return update
  }

  private mutating func warn(_ text: String) {
    warnings.append(text)
    if warnings.count > 20 { warnings.removeFirst() }
  }
}
