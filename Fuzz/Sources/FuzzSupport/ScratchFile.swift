import Foundation

/// A per-process scratch directory for parsers that only read paths: on
/// tmpfs (/dev/shm) when there is one, so a write per input stays cheap.
public enum ScratchFile {
  public static let directory: String = {
    let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
    let dir = "\(base)/nntop-fuzz-\(getpid())"
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    atexit { try? FileManager.default.removeItem(atPath: ScratchFile.directory) }
    return dir
  }()

  /// Writes `bytes` to `name` in the scratch directory and returns its path.
  @discardableResult
  public static func write(_ bytes: UnsafeBufferPointer<UInt8>, named name: String) -> String {
    let path = "\(directory)/\(name)"
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    precondition(fd >= 0, "cannot write the scratch file \(path)")
    var done = 0
    while done < bytes.count {
      let n = Foundation.write(fd, bytes.baseAddress! + done, bytes.count - done)
      precondition(n > 0, "cannot write the scratch file \(path)")
      done += n
    }
    close(fd)
    return path
  }

  /// Removes `name` from the scratch directory if it is there.
  public static func remove(named name: String) {
    unlink("\(directory)/\(name)")
  }
}
