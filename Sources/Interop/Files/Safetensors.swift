import RunEvents
import Foundation

/// The safetensors container: an 8-byte little-endian header length, a JSON
/// header (`dtype`, `shape`, `data_offsets` per tensor; `__metadata__` with
/// string values), then the raw little-endian data. Only F32 tensors here.
public struct Safetensors: Sendable {
  public struct Tensor: Sendable, Equatable {
    public var shape: [Int]
    public var values: [Float]
    public init(shape: [Int], values: [Float]) {
      precondition(shape.reduce(1, *) == values.count, "shape \(shape) needs \(shape.reduce(1, *)) values, got \(values.count)")
      self.shape = shape
      self.values = values
    }
  }

  public var tensors: [String: Tensor] = [:]
  public var metadata: [String: String] = [:]

  public init() {}

  /// The file's bytes: tensors in name order, contiguous, header padded with
  /// spaces to a multiple of 8 bytes.
  public func encoded() -> [UInt8] {
    let names = tensors.keys.sorted()
    var entries: [(String, JSON)] = []
    if !metadata.isEmpty {
      entries.append(("__metadata__", .object(metadata.keys.sorted().map { ($0, .string(metadata[$0]!)) })))
    }
    var offset = 0
    for name in names {
      let t = tensors[name]!
      let size = t.values.count * 4
      entries.append(
        (name, .object([
          ("dtype", .string("F32")),
          ("shape", .array(t.shape.map { .number(Double($0)) })),
          ("data_offsets", .array([.number(Double(offset)), .number(Double(offset + size))])),
        ])))
      offset += size
    }
    var header = Array(JSON.object(entries).serialized.utf8)
    while header.count % 8 != 0 { header.append(UInt8(ascii: " ")) }
    var out = [UInt8]()
    out.reserveCapacity(8 + header.count + offset)
    var length = UInt64(header.count).littleEndian
    withUnsafeBytes(of: &length) { out.append(contentsOf: $0) }
    out.append(contentsOf: header)
    for name in names {
      for v in tensors[name]!.values {
        var bits = v.bitPattern.littleEndian
        withUnsafeBytes(of: &bits) { out.append(contentsOf: $0) }
      }
    }
    return out
  }

  /// Parses a safetensors file's bytes; `file` names it in errors.
  public init(bytes: [UInt8], file: String) throws(CheckpointError) {
    func fail(_ message: String) -> CheckpointError { CheckpointError("\(file): \(message)") }
    guard bytes.count >= 8 else { throw fail("not a safetensors file (\(bytes.count) bytes, too short for a header)") }
    var length: UInt64 = 0
    for i in (0..<8).reversed() { length = length << 8 | UInt64(bytes[i]) }
    guard length >= 2, length <= UInt64(bytes.count - 8), length < 100_000_000 else {
      throw fail("not a safetensors file (header length \(length) does not fit the \(bytes.count)-byte file)")
    }
    let headerEnd = 8 + Int(length)
    let header: JSON
    do {
      header = try JSON(parsing: Array(bytes[8..<headerEnd]))
    } catch {
      throw fail("not a safetensors file (header is not JSON: \(error))")
    }
    guard let entries = header.objectValue else { throw fail("safetensors header is not a JSON object") }
    let dataSize = bytes.count - headerEnd
    for (name, entry) in entries {
      if name == "__metadata__" {
        for (key, value) in entry.objectValue ?? [] {
          guard let s = value.stringValue else { throw fail("metadata \"\(key)\" is not a string") }
          metadata[key] = s
        }
        continue
      }
      guard let dtype = entry["dtype"]?.stringValue else { throw fail("tensor \"\(name)\" has no dtype") }
      guard dtype == "F32" else { throw fail("tensor \"\(name)\" is \(dtype); nntop reads F32 only") }
      guard let shape = entry["shape"]?.arrayValue?.compactMap(\.intValue), shape.allSatisfy({ $0 >= 0 }),
        let offsets = entry["data_offsets"]?.arrayValue?.compactMap(\.intValue), offsets.count == 2,
        offsets[0] >= 0, offsets[0] <= offsets[1], offsets[1] <= dataSize
      else { throw fail("tensor \"\(name)\" has a bad shape or data_offsets") }
      // A product checked as it grows: a corrupt shape must not overflow.
      var count = 1
      for d in shape {
        let (product, overflow) = count.multipliedReportingOverflow(by: d)
        guard !overflow, product <= dataSize else { throw fail("tensor \"\(name)\" of shape \(shape) is larger than the file") }
        count = product
      }
      guard offsets[1] - offsets[0] == count * 4 else {
        throw fail("tensor \"\(name)\" of shape \(shape) needs \(count * 4) bytes, its offsets give \(offsets[1] - offsets[0])")
      }
      var values = [Float](repeating: 0, count: count)
      let start = headerEnd + offsets[0]
      for i in 0..<count {
        let p = start + 4 * i
        let bits = UInt32(bytes[p]) | UInt32(bytes[p + 1]) << 8 | UInt32(bytes[p + 2]) << 16 | UInt32(bytes[p + 3]) << 24
        values[i] = Float(bitPattern: bits)
      }
      tensors[name] = Tensor(shape: shape, values: values)
    }
  }

  /// Writes the file atomically (`OutputFile`).
  public func write(to path: String) throws(OutputError) {
    try OutputFile.write(encoded(), to: path)
  }

  /// Reads a safetensors file.
  public static func read(from path: String) throws(CheckpointError) -> Safetensors {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw CheckpointError("\(path): no such file", unreadable: true)
    }
    guard !isDirectory.boolValue, let data = FileManager.default.contents(atPath: path) else {
      throw CheckpointError("\(path): cannot be read", unreadable: true)
    }
    return try Safetensors(bytes: [UInt8](data), file: path)
  }
}

/// A checkpoint that cannot be written or read, with the file named.
public struct CheckpointError: Error, CustomStringConvertible {
  public let description: String
  /// The file is missing or unreadable (EX_NOINPUT), not malformed.
  public let unreadable: Bool
  public init(_ description: String, unreadable: Bool = false) {
    self.description = description
    self.unreadable = unreadable
  }
}
