import Foundation

/// Follows one TFRecord file (a TensorBoard event file) that another process
/// appends to: each record is a little-endian UInt64 length, the masked
/// CRC-32C of those 8 bytes, the data, and the data's masked CRC-32C. A
/// record not yet whole (a torn write) waits for the next poll. A record
/// whose data fails its CRC is skipped with a warning; a length that fails
/// its CRC leaves nothing to find the next record by, so the rest of the
/// file is not read (said once).
public struct TFRecordFollower {
  public let path: String
  private var offset: UInt64 = 0
  private var identity: (device: UInt64, inode: UInt64)?
  /// Why the file is no longer read, once its framing is lost.
  public private(set) var stopped: String?
  /// Records skipped or the framing lost, `events…: byte 1234: …` (the newest last, at most 20).
  public private(set) var warnings: [String] = []

  /// The largest record read; a length above it is damage, not data.
  static let maximumRecord: UInt64 = 64 << 20

  public init(path: String) {
    self.path = path
  }

  /// The whole records appended since the last poll (reading at most `limit` bytes).
  public mutating func poll(limit: Int = 8 << 20) -> [[UInt8]] {
    guard stopped == nil else { return [] }
    let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
    guard fd >= 0 else { return [] }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return [] }
    let id = (UInt64(info.st_dev), UInt64(info.st_ino))
    if let identity, identity != id || UInt64(info.st_size) < offset { offset = 0 }
    identity = id
    let available = UInt64(info.st_size) > offset ? Int(UInt64(info.st_size) - offset) : 0
    guard available >= 16 else { return [] }
    var bytes = [UInt8](repeating: 0, count: min(available, limit))
    var count = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(offset)) }
    guard count > 0 else { return [] }
    var records: [[UInt8]] = []
    var at = 0
    while count - at >= 12 {
      let lengthBytes = bytes[at..<at + 8]
      let length = lengthBytes.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
      guard Self.littleEndian(bytes, at + 8) == CRC32C.masked(lengthBytes), length <= Self.maximumRecord else {
        stopped = "\(path): byte \(offset + UInt64(at)): the record framing is damaged; the rest of the file is not read"
        warn(stopped!)
        break
      }
      let end = at + 12 + Int(length) + 4
      guard end <= count else {
        // A record larger than one read (a big graph, an image) is read whole once it is all there.
        if at == 0, end <= available {
          bytes = [UInt8](repeating: 0, count: end)
          count = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(offset)) }
          if count == end { continue }
        }
        break  // not whole yet: the next poll
      }
      let data = Array(bytes[at + 12..<end - 4])
      if Self.littleEndian(bytes, end - 4) == CRC32C.masked(data) {
        records.append(data)
      } else {
        warn("\(path): byte \(offset + UInt64(at)): a record fails its checksum: skipped")
      }
      at = end
    }
    offset += UInt64(at)
    return records
  }

  static func littleEndian(_ bytes: [UInt8], _ at: Int) -> UInt32 {
    bytes[at..<at + 4].reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
  }

  private mutating func warn(_ text: String) {
    warnings.append(text)
    if warnings.count > 20 { warnings.removeFirst() }
  }
}
