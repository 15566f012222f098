import Foundation

/// A file nntop writes whole — a checkpoint, an SVG plot, benchmark results —
/// written atomically: a temporary file beside it, flushed to disk, then
/// renamed over it, so a reader (or a run killed with `kill -9`) sees the old
/// file or the new one, never a torn one. Temporaries that a killed process
/// left beside the same target are removed at the next write.
public enum OutputFile {
  /// Writes `bytes` to `path` (through symbolic links, to the file they name).
  public static func write(_ bytes: [UInt8], to path: String) throws(OutputError) {
    let target = try checkWritable(path)
    let directory = URL(fileURLWithPath: target).deletingLastPathComponent().path
    let name = URL(fileURLWithPath: target).lastPathComponent
    removeStaleTemporaries(of: name, in: directory)
    let temp = "\(directory)/\(temporaryPrefix(of: name))\(getpid())\(temporarySuffix)"
    let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else { throw OutputError(path, errno: errno, code: 73) }
    let failed = bytes.withUnsafeBytes { writeAll(fd, $0) } ?? (fsync(fd) == 0 ? nil : errno)
    close(fd)
    if let failed {
      unlink(temp)
      throw OutputError(path, errno: failed, code: 74)
    }
    guard rename(temp, target) == 0 else {
      let e = errno
      unlink(temp)
      throw OutputError(path, errno: e, code: 74)
    }
  }

  /// Throws unless `write(_:to:)` could create the file: its folder exists
  /// and is writable, and `path` is not a folder, a device or a pipe.
  /// Checked before a run starts, so a long run does not end unable to save.
  /// Returns the file a write replaces: `path` with symbolic links followed.
  @discardableResult
  public static func checkWritable(_ path: String) throws(OutputError) -> String {
    let target = try followingLinks(path)
    var info = stat()
    if stat(target, &info) == 0 {
      if info.st_mode & S_IFMT == S_IFDIR { throw OutputError("\(path): is a folder, not a file to save to") }
      // A write replaces the file: never a device (/dev/null) or a pipe.
      if info.st_mode & S_IFMT != S_IFREG { throw OutputError("\(path): is not a regular file to save to") }
    }
    var isDirectory: ObjCBool = false
    let directory = URL(fileURLWithPath: target).deletingLastPathComponent().path
    guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
      throw OutputError("\(path): cannot save there: no folder \(directory)")
    }
    guard access(directory, W_OK | X_OK) == 0 else {
      throw OutputError("\(path): cannot save there: \(directory) is not writable")
    }
    return target
  }

  /// `path` with symbolic links followed, to the file they name (which
  /// need not exist yet); a loop of links is an error.
  public static func followingLinks(_ path: String) throws(OutputError) -> String {
    var current = path
    for _ in 0..<40 {
      guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: current) else { return current }
      if target.hasPrefix("/") {
        current = target
      } else {
        // Relative to the folder the link really is in (its path may pass through links itself).
        let folder = URL(fileURLWithPath: current).deletingLastPathComponent().path
        let real = realpath(folder, nil).map { p in defer { free(p) }; return String(cString: p) } ?? folder
        current = real + "/" + target
      }
    }
    throw OutputError("\(path): a loop of symbolic links")
  }

  /// Writes all of `bytes` to `fd` (retrying short writes and EINTR);
  /// returns the error number if that failed, nil when all went out.
  public static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32? {
    var written = 0
    while written < bytes.count {
      let n = Foundation.write(fd, bytes.baseAddress! + written, bytes.count - written)
      if n < 0 && errno == EINTR { continue }
      guard n > 0 else { return n < 0 ? errno : ENOSPC }
      written += n
    }
    return nil
  }

  // MARK: - Temporaries

  static let temporarySuffix = ".tmp"
  /// `.model.safetensors.` — the temporary of `model.safetensors` is `.model.safetensors.PID.tmp`.
  static func temporaryPrefix(of name: String) -> String { ".\(name)." }

  /// Removes `.NAME.PID.tmp` files in `directory` whose process is gone: a
  /// write that was killed between creating its temporary and the rename.
  /// A live process's temporary (another nntop saving the same file) stays.
  static func removeStaleTemporaries(of name: String, in directory: String) {
    let prefix = temporaryPrefix(of: name)
    guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
    for entry in entries where entry.hasPrefix(prefix) && entry.hasSuffix(temporarySuffix) {
      let middle = entry.dropFirst(prefix.count).dropLast(temporarySuffix.count)
      guard let pid = pid_t(middle), pid > 0 else { continue }
      if pid == getpid() || (kill(pid, 0) != 0 && errno == ESRCH) {
        unlink("\(directory)/\(entry)")
      }
    }
  }
}

/// A file that could not be written: the message names it; `code` is the
/// exit status it ends a command with (73 cannot create, 74 I/O error).
public struct OutputError: Error, CustomStringConvertible {
  public let description: String
  public let code: Int32

  public init(_ description: String, code: Int32 = 73) {
    self.description = description
    self.code = code
  }

  init(_ path: String, errno error: Int32, code: Int32) {
    self.init("\(path): cannot write (\(String(cString: strerror(error))))", code: code)
  }
}
