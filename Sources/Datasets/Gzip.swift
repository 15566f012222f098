import CZlib
import Foundation
import NumberFormat

/// gzip-compressed files (`data.csv.gz`, as pandas reads them), inflated
/// by the system's zlib: one member or several concatenated (`cat a.gz b.gz`).
enum Gzip {
  /// Whether the bytes start with gzip's magic number.
  static func isCompressed(_ bytes: [UInt8]) -> Bool { bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B }

  /// The inflated bytes, or why they cannot be: damaged, cut short, or
  /// larger than half of this machine's memory.
  static func decompress(_ bytes: [UInt8], file: String) throws(DataError) -> [UInt8] {
    let limit = ProcessInfo.processInfo.physicalMemory / 2
    var stream = z_stream()
    guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
      throw DataError(.malformed, file: file, "zlib could not start inflating the gzip data")
    }
    defer { inflateEnd(&stream) }
    var out: [UInt8] = []
    out.reserveCapacity(min(bytes.count * 4, Int(limit)))
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    var problem: String?
    bytes.withUnsafeBufferPointer { input in
      // zlib counts in 32 bits: a larger file goes in as pieces.
      var fed = 0
      func feed() {
        guard stream.avail_in == 0 && fed < input.count else { return }
        let piece = min(input.count - fed, Int(UInt32.max))
        stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress! + fed)
        stream.avail_in = uInt(piece)
        fed += piece
      }
      while true {
        feed()
        let status = chunk.withUnsafeMutableBufferPointer { c in
          stream.next_out = c.baseAddress
          stream.avail_out = uInt(c.count)
          return inflate(&stream, Z_NO_FLUSH)
        }
        out.append(contentsOf: chunk[0..<(chunk.count - Int(stream.avail_out))])
        if UInt64(out.count) > limit {
          problem = "the gzip data inflates to more than \(byteSize(Double(limit))), half of this machine's memory"
          return
        }
        let rest = Int(stream.avail_in) + input.count - fed
        switch status {
        case Z_OK: continue
        case Z_STREAM_END:
          // Another member may follow; anything else after the end is not gzip.
          guard rest > 0 else { return }
          let next = input.count - rest
          guard rest >= 2 && input[next] == 0x1F && input[next + 1] == 0x8B else {
            problem = "\(counted(rest, "byte")) after the end of the gzip data that are not gzip"
            return
          }
          inflateReset(&stream)
        case Z_BUF_ERROR where rest == 0:
          problem = "the gzip data is cut short (the file ends inside it)"
          return
        default:
          problem = "the gzip data is damaged (\(stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"))"
          return
        }
      }
    }
    if let problem { throw DataError(.malformed, file: file, problem) }
    return out
  }
}
