import NumberFormat
import RunEvents
import Foundation
import NeuralNet

/// Reads the IDX format of MNIST, plain or gzip-compressed: an images file (`…-images-idx3-ubyte`,
/// `(n, rows, cols)` or `(n, features)`) and its labels file found beside it
/// (`…-labels-idx1-ubyte`).
public enum IDXLoader {
  /// Whether the file is named as MNIST's IDX files are (`train-images-idx3-ubyte`, `.gz` too).
  public static func namedLikeIDX(_ path: String) -> Bool {
    URL(fileURLWithPath: path).lastPathComponent.lowercased().range(of: #"idx[0-9]-ubyte(\.gz)?$"#, options: .regularExpression) != nil
  }

  /// Whether the file starts with two zero bytes, as IDX files do (and no text file does).
  public static func startsLikeIDX(_ path: String) -> Bool {
    guard let handle = FileHandle(forReadingAtPath: path) else { return false }
    defer { try? handle.close() }
    guard let head = try? handle.read(upToCount: 2), head.count == 2 else { return false }
    return head.allSatisfy { $0 == 0 }
  }

  /// The labels file that goes with an images file, by the MNIST naming.
  public static func labelsPath(for imagesPath: String) -> String {
    let url = URL(fileURLWithPath: imagesPath)
    let name = url.lastPathComponent
      .replacingOccurrences(of: "images", with: "labels")
      .replacingOccurrences(of: "idx3", with: "idx1")
      .replacingOccurrences(of: "idx2", with: "idx1")
    return url.deletingLastPathComponent().appendingPathComponent(name).path
  }

  public static func load(imagesPath: String) throws(DataError) -> Dataset {
    let images = try IDXArray(path: imagesPath)
    guard images.dimensions.count == 3 || images.dimensions.count == 2 else {
      throw DataError(.malformed, file: imagesPath, "an IDX images file has 2 or 3 dimensions, this one has \(images.dimensions.count)")
    }
    let labelsPath = labelsPath(for: imagesPath)
    guard labelsPath != imagesPath, FileManager.default.fileExists(atPath: labelsPath) else {
      throw DataError(.unreadable, file: imagesPath, "no labels file beside it (looked for \(labelsPath))")
    }
    let labels = try IDXArray(path: labelsPath)
    guard labels.dimensions.count == 1 else {
      throw DataError(.malformed, file: labelsPath, "a labels file has 1 dimension, this one has \(labels.dimensions.count)")
    }
    let n = images.dimensions[0]
    guard labels.dimensions[0] == n else {
      throw DataError(.malformed, file: labelsPath, "\(counted(labels.dimensions[0], "label")) for \(counted(n, "image")) in \(imagesPath)")
    }
    guard n > 0 else { throw DataError(.malformed, file: imagesPath, "holds no images") }
    let width = images.dimensions.dropFirst().reduce(1, *)
    if let bad = labels.values.firstIndex(where: { !($0 == $0.rounded() && abs($0) < 9e15) }) {
      throw DataError(.malformed, file: labelsPath, "label \(bad + 1) is \(labels.values[bad]), not a whole number")
    }
    let values = labels.values.map { Int($0) }
    let classes = Set(values).sorted()
    guard classes.count >= 2 else {
      throw DataError(.malformed, file: labelsPath, "only one class (\(classes.first ?? 0)): nothing to learn")
    }
    let index = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
    let shape = images.dimensions.count == 3 ? ImageShape(rows: images.dimensions[1], cols: images.dimensions[2]) : nil
    let names = shape.map { s in (0..<width).map { "r\($0 / s.cols)c\($0 % s.cols)" } } ?? (0..<width).map { "x\($0 + 1)" }
    return Dataset(
      name: URL(fileURLWithPath: imagesPath).lastPathComponent, featureNames: names,
      features: Matrix(rows: n, cols: width, storage: images.values),
      targets: .classes(labels: values.map { index[$0]! }, names: classes.map(String.init)), imageShape: shape)
  }
}

/// One IDX array: big-endian dimensions, then the elements.
struct IDXArray {
  var dimensions: [Int]
  var values: [Float]

  static func elementSize(_ type: UInt8) -> Int? {
    switch type {
    case 0x08, 0x09: 1
    case 0x0B: 2
    case 0x0C, 0x0D: 4
    case 0x0E: 8
    default: nil
    }
  }

  init(path: String) throws(DataError) {
    var bytes = try TextFile.readBytes(path)
    // MNIST is handed out gzip-compressed (`train-images-idx3-ubyte.gz`).
    if Gzip.isCompressed(bytes) { bytes = try Gzip.decompress(bytes, file: path) }
    guard bytes.count >= 4, bytes[0] == 0, bytes[1] == 0, let size = Self.elementSize(bytes[2]), (1...4).contains(bytes[3]) else {
      let magic = bytes.prefix(4).map { String(format: "%02X", $0) }.joined(separator: " ")
      throw DataError(
        .malformed, file: path,
        "not an IDX file: its magic number is \(magic)\(bytes.count < 4 ? " (cut short)" : ""), and an IDX file starts 00 00, "
          + "a type (08 unsigned byte, 09 byte, 0B short, 0C int, 0D float, 0E double), then 1-4 dimensions")
    }
    let rank = Int(bytes[3])
    guard bytes.count >= 4 + 4 * rank else { throw DataError(.malformed, file: path, "IDX header is cut short") }
    func u32(_ at: Int) -> Int { Int(bytes[at]) << 24 | Int(bytes[at + 1]) << 16 | Int(bytes[at + 2]) << 8 | Int(bytes[at + 3]) }
    dimensions = (0..<rank).map { u32(4 + 4 * $0) }
    let start = 4 + 4 * rank
    // A product checked as it grows: a corrupt header must not overflow.
    var count = 1
    for d in dimensions {
      let (product, overflow) = count.multipliedReportingOverflow(by: d)
      guard !overflow, product <= bytes.count else {
        throw DataError(.malformed, file: path, "IDX header promises \(dimensions.map(String.init).joined(separator: "×")) elements, more than the \(bytes.count)-byte file holds")
      }
      count = product
    }
    guard bytes.count == start + count * size else {
      throw DataError(.malformed, file: path, "IDX header promises \(count) elements (\(start + count * size) bytes) but the file has \(bytes.count) bytes")
    }
    let type = bytes[2]
    values = (0..<count).map { i in
      let at = start + i * size
      switch type {
      case 0x08: return Float(bytes[at])
      case 0x09: return Float(Int8(bitPattern: bytes[at]))
      case 0x0B: return Float(Int16(bitPattern: UInt16(bytes[at]) << 8 | UInt16(bytes[at + 1])))
      case 0x0C: return Float(Int32(bitPattern: UInt32(u32(at))))
      case 0x0D: return Float(bitPattern: UInt32(u32(at)))
      default:
        var bits: UInt64 = 0
        for k in 0..<8 { bits = bits << 8 | UInt64(bytes[at + k]) }
        return Float(Double(bitPattern: bits))
      }
    }
    if let bad = values.firstIndex(where: { !$0.isFinite }) {
      throw DataError(.malformed, file: path, "element \(bad) is not a finite number")
    }
  }
}
