import Foundation
import RunEvents

/// The commands a dashboard sends a watched run: one JSON line each,
/// appended to the run directory's `commands.jsonl` (created owner-only: the
/// training process ignores a file others may write). Each carries an id the
/// run's acknowledgement names (`command_id`).
///
/// `@unchecked Sendable` is safe: `nextID` and the file are touched only
/// inside `lock`.
public final class CommandsFile: RunControl, @unchecked Sendable {
  public let path: String
  private let lock = NSLock()
  private var nextID: Int
  /// Why the last command could not be written, if it could not.
  public private(set) var failure: String?

  public init(path: String) {
    self.path = path
    // Ids go on from the file's last one: acknowledgements stay unambiguous.
    let existing = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    let ids = existing.split(separator: "\n").compactMap { (try? JSON(parsing: String($0)))?["id"]?.intValue }
    nextID = (ids.max() ?? 0) + 1
  }

  /// The line for a command; nil for those a watched run does not take
  /// (roll-back, re-initialise, the pace: the built-in engine's own).
  public static func json(_ command: ControlCommand, id: Int) -> JSON? {
    let fields: [(String, JSON)]
    switch command {
    case .pause: fields = [("command", .string("pause"))]
    case .resume: fields = [("command", .string("resume"))]
    case .step(let n): fields = [("command", .string("step")), ("count", .int(n))]
    case .setLearningRate(let eta): fields = [("command", .string("set-lr")), ("lr", .finite(eta))]
    case .scaleLearningRate(let factor): fields = [("command", .string("scale-lr")), ("factor", .finite(factor))]
    case .save: fields = [("command", .string("save"))]
    case .stop: fields = [("command", .string("stop"))]
    case .togglePause, .rollBack, .reinitialize, .stepPace: return nil
    }
    return .object([("id", .int(id))] + fields)
  }

  /// Appends the command; its id, or nil when it is not one a watched run takes or could not be written.
  @discardableResult
  public func send(command: ControlCommand) -> Int? {
    lock.lock()
    defer { lock.unlock() }
    guard let line = Self.json(command, id: nextID) else { return nil }
    let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
    guard fd >= 0 else {
      failure = "\(path): cannot write commands (\(String(cString: strerror(errno))))"
      return nil
    }
    defer { close(fd) }
    let bytes = Array((line.serialized + "\n").utf8)
    let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    guard written == bytes.count else {
      failure = "\(path): cannot write commands (\(String(cString: strerror(errno))))"
      return nil
    }
    failure = nil
    defer { nextID += 1 }
    return nextID
  }

  public func send(_ command: ControlCommand) { send(command: command) }
}
