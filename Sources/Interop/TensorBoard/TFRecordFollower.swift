/// Follows one TFRecord file (a TensorBoard event file) that another process
/// appends to: each record is a little-endian UInt64 length, the masked
/// CRC-32C of those 8 bytes, the data, and the data's masked CRC-32C. A
/// record not yet whole (a torn write) waits for the next poll. A record
/// whose data fails its CRC is skipped with a warning; a length that fails
/// its CRC leaves nothing to find the next record by, so the rest of the
/// file is not read (said once).
public struct TFRecordFollower {
  public var path: String { file.path }
  private var file: FileTail
  /// Why the file is no longer read, once its framing is lost.
  public private(set) var stopped: String?
  /// Records skipped or the framing lost, `events…: byte 1234: …` (the newest last, at most 20).
  public private(set) var warnings: [String] = []

  /// The largest record read; a length above it is damage, not data.
  static let maximumRecord: UInt64 = 64 << 20

  public init(path: String) {
    file = FileTail(path: path)
  }

  /// The whole records appended since the last poll (reading at most `limit` bytes).
  public mutating func poll(limit: Int = 8 << 20) -> [[UInt8]] {
    guard stopped == nil else { return [] }
    var read = file.read(limit: limit)
    guard read.available >= 16 else { return [] }
    var bytes = read.bytes
    var records: [[UInt8]] = []
    var at = 0
    while bytes.count - at >= 12 {
      let lengthBytes = bytes[at..<at + 8]
      let length = littleEndian(lengthBytes)
      guard littleEndian(bytes[at + 8..<at + 12]) == CRC32C.masked(lengthBytes), length <= Self.maximumRecord else {
        stopped = "\(path): byte \(file.offset + UInt64(at)): the record framing is damaged; the rest of the file is not read"
        warn(stopped!)
        break
      }
      let end = at + 12 + Int(length) + 4
      guard end <= bytes.count else {
        // A record larger than one read (a big graph, an image) is read whole once it is all there.
        if at == 0, end <= read.available {
          read = file.read(limit: end)
          bytes = read.bytes
          if bytes.count == end { continue }
        }
        break  // not whole yet: the next poll
      }
      let data = Array(bytes[at + 12..<end - 4])
      if littleEndian(bytes[end - 4..<end]) == CRC32C.masked(data) {
        records.append(data)
      } else {
        warn("\(path): byte \(file.offset + UInt64(at)): a record fails its checksum: skipped")
      }
      at = end
    }
    file.consume(at)
    return records
  }

  private mutating func warn(_ text: String) {
    warnings.append(text)
    if warnings.count > 20 { warnings.removeFirst() }
  }
}
