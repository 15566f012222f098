import Foundation

/// The end of a file another process appends to (a run log, an event file):
/// the bytes after those already consumed. A file replaced (another inode)
/// or cut short is read from its start again, and the read says so.
public struct FileTail {
  public let path: String
  /// Bytes of the file consumed so far.
  public private(set) var offset: UInt64 = 0
  private var identity: (device: UInt64, inode: UInt64)?

  public init(path: String) {
    self.path = path
  }

  /// What one read found.
  public struct Read {
    /// At most `limit` bytes from `offset` on (not consumed yet).
    public var bytes: [UInt8] = []
    /// Bytes after `offset` the file holds, read or not.
    public var available = 0
    /// The file was replaced or cut short: `offset` went back to 0.
    public var restarted = false
    /// The file exists (a regular file).
    public var exists = false
  }

  /// Reads up to `limit` bytes after `offset`; `consume` moves past them.
  public mutating func read(limit: Int) -> Read {
    var read = Read()
    let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
    guard fd >= 0 else { return read }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return read }
    read.exists = true
    let id = (UInt64(info.st_dev), UInt64(info.st_ino))
    if let identity, identity != id || UInt64(info.st_size) < offset {
      read.restarted = true
      offset = 0
    }
    identity = id
    read.available = UInt64(info.st_size) > offset ? Int(UInt64(info.st_size) - offset) : 0
    guard read.available > 0, limit > 0 else { return read }
    var bytes = [UInt8](repeating: 0, count: min(read.available, limit))
    let count = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(offset)) }
    read.bytes = count > 0 ? Array(bytes[..<count]) : []
    return read
  }

  /// Moves past `count` bytes read.
  public mutating func consume(_ count: Int) {
    offset += UInt64(count)
  }
}
