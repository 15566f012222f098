import Foundation
import RunEvents

/// The run log (`--log FILE.jsonl`): one JSON object per line, written and
/// flushed line by line, so a run killed at any moment leaves only complete
/// lines: each a `RunEvent` in the codec's JSON (RunEvent+JSON.swift).
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

  /// Writes one event as one line; false (and `failure` set) if it could
  /// not be written whole. Once a write failed, nothing more is written.
  @discardableResult
  public func write(_ event: RunEvent) -> Bool {
    guard !closed, failure == nil else { return false }
    let bytes = Array(event.line.utf8)
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
