import Foundation

/// Reads a data file whole, turning every way it can be unusable into a
/// `DataError`: missing, a directory, unreadable, empty, binary. A
/// gzip-compressed file is read inflated.
enum TextFile {
  static func read(_ path: String) throws(DataError) -> [UInt8] {
    var bytes = try readBytes(path)
    guard !bytes.isEmpty else { throw DataError(.malformed, file: path, "the file is empty") }
    let compressed = Gzip.isCompressed(bytes)
    if compressed {
      bytes = try Gzip.decompress(bytes, file: path)
      guard !bytes.isEmpty else { throw DataError(.malformed, file: path, "the file is empty once decompressed") }
    }
    if let nul = bytes.firstIndex(of: 0) {
      throw DataError(.malformed, file: path, "binary data (a NUL byte at offset \(nul)\(compressed ? " once decompressed" : "")), not CSV text")
    }
    if String(validating: bytes, as: UTF8.self) == nil {
      let offset = firstInvalidUTF8(bytes)
      throw DataError(.malformed, file: path, "not UTF-8 text (invalid byte 0x\(String(bytes[offset], radix: 16, uppercase: true)) at offset \(offset))")
    }
    return bytes
  }

  /// The file's bytes, or a clear error if it cannot be read.
  static func readBytes(_ path: String) throws(DataError) -> [UInt8] {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw DataError(.unreadable, file: path, "no such file")
    }
    guard !isDirectory.boolValue else { throw DataError(.unreadable, file: path, "is a directory, not a data file") }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw DataError(.unreadable, file: path, "cannot be read (permission denied?)")
    }
    return [UInt8](data)
  }

  private static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int {
    var i = 0
    while i < bytes.count {
      let b = bytes[i]
      let length = b < 0x80 ? 1 : b >> 5 == 0x6 ? 2 : b >> 4 == 0xE ? 3 : b >> 3 == 0x1E ? 4 : 0
      guard length > 0, i + length <= bytes.count,
        (1..<length).allSatisfy({ bytes[i + $0] & 0xC0 == 0x80 }),
        String(validating: bytes[i..<(i + length)], as: UTF8.self) != nil
      else { return i }
      i += length
    }
    return 0
  }
}
