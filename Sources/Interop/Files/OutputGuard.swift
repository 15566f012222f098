import RunEvents
import Foundation

/// The kinds of file nntop writes, each recognised by its own mark, so a
/// later command can tell an earlier nntop output (which it may replace)
/// from the user's own file (which it never replaces without `--force`).
public enum OutputKind: String, Sendable {
  /// A JSON Lines run log: its first line is `{"type":"run", …}`.
  case runLog = "run log"
  /// A safetensors file whose metadata `format` is `nntop/…`.
  case checkpoint
  /// An SVG from `nntop plot`: it carries `SVGPlot.mark`.
  case plot = "SVG plot"
  /// `nntop bench --json`: a JSON array of records from nntop's peer `nntop…`.
  case benchmark = "benchmark results"

  /// Whether the file at `path` (read only as far as its mark) is one nntop wrote as this kind.
  public func recognises(_ path: String) -> Bool {
    guard let head = Self.head(of: path, bytes: 1 << 16) else { return false }
    switch self {
    case .runLog:
      let firstLine = head.split(separator: UInt8(ascii: "\n"), maxSplits: 1, omittingEmptySubsequences: false).first ?? []
      return (try? JSON(parsing: Array(firstLine)))?["type"]?.stringValue == "run"
    case .checkpoint:
      guard head.count >= 8 else { return false }
      var length = 0
      for i in (0..<8).reversed() { length = length << 8 | Int(head[i]) }
      guard length > 0, length <= 100_000_000, let header = Self.head(of: path, bytes: 8 + length), header.count == 8 + length,
        let json = try? JSON(parsing: Array(header[8...]))
      else { return false }
      return json["__metadata__"]?["format"]?.stringValue?.hasPrefix("nntop/") == true
    case .plot:
      return String(decoding: head, as: UTF8.self).contains(SVGPlot.mark)
    case .benchmark:
      let text = String(decoding: head, as: UTF8.self)
      return text.hasPrefix("[") && (text.contains("\"peer\":\"nntop") || text == "[\n\n]\n")
    }
  }

  /// Why `path` must not be replaced by a file of this kind, or nil when it
  /// may be: it does not exist, is empty, is not a regular file (a device
  /// or pipe is written to, not replaced), or is an earlier nntop output.
  public func refusalToReplace(_ path: String) -> OutputError? {
    var info = stat()
    guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_size > 0, !recognises(path) else { return nil }
    return refusal(path)
  }

  /// The refusal to replace `path`, a file that is not of this kind.
  func refusal(_ path: String) -> OutputError {
    OutputError("\(path): not a \(rawValue) nntop wrote; refusing to replace it (--force replaces it)", code: 73)
  }

  /// The first `bytes` bytes of a file (fewer if it is shorter).
  static func head(of path: String, bytes: Int) -> [UInt8]? {
    guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
    defer { try? handle.close() }
    return (try? handle.read(upToCount: bytes)).map { [UInt8]($0) } ?? []
  }
}

/// The rules every command that writes a file follows (DESIGN.md, "Command
/// line"): never write over a file nntop did not write, and never over a
/// file the same command reads; replacing an earlier nntop output is said.
/// `--force` lifts the first rule only.
public struct OutputGuard: Sendable {
  /// `--force`: replace files nntop did not write.
  public var force: Bool
  /// The files the command reads (its data, its run log).
  public var inputs: [String]

  public init(force: Bool, inputs: [String]) {
    self.force = force
    self.inputs = inputs
  }

  /// Checks that `path` may be written as `kind`. Returns the line to say
  /// on stderr when it replaces an earlier nntop output; throws (exit 73)
  /// when it must not be written.
  public func check(_ path: String, as kind: OutputKind) throws(OutputError) -> String? {
    var target = stat()
    guard stat(path, &target) == 0 else { return nil }
    for input in inputs {
      var read = stat()
      if stat(input, &read) == 0, read.st_dev == target.st_dev, read.st_ino == target.st_ino {
        throw OutputError("\(path): is also what this command reads (\(input)); write to another file", code: 73)
      }
    }
    guard target.st_mode & S_IFMT == S_IFREG, target.st_size > 0 else { return nil }
    if kind.recognises(path) { return "replacing \(path) (an earlier nntop \(kind.rawValue))" }
    if force { return "replacing \(path) (--force)" }
    throw kind.refusal(path)
  }

  /// Refuses two outputs of one command that are the same file.
  public static func distinct(_ outputs: [(flag: String, path: String?)]) throws(OutputError) {
    var seen: [(flag: String, path: String, id: String)] = []
    for case (let flag, let path?) in outputs {
      var info = stat()
      let id = stat(path, &info) == 0 ? "\(info.st_dev):\(info.st_ino)" : URL(fileURLWithPath: path).standardizedFileURL.path
      if let other = seen.first(where: { $0.id == id }) {
        throw OutputError("\(other.flag) \(other.path) and \(flag) \(path) are the same file: give each its own", code: 64)
      }
      seen.append((flag, path, id))
    }
  }
}
