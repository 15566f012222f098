@testable import Interop
import Foundation
import Testing
import TestSupport
import RunEvents
@testable import Training

/// The pieces of the event-file writer against published reference values
/// (InteropTests reads whole files with TensorBoard itself).
struct TensorBoardTests {
  @Test func crc32cMatchesTheStandardCheckValue() {
    // The CRC-32C check value (RFC 3720, appendix B.4).
    #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
    #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
    #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
  }

  @Test func recordFramingIsLengthCrcDataCrc() {
    let data: [UInt8] = Array("hello".utf8)
    let record = TensorBoardWriter.record(data)
    #expect(record.count == 8 + 4 + 5 + 4)
    #expect(Array(record[0..<8]) == [5, 0, 0, 0, 0, 0, 0, 0])
    func masked(_ bytes: [UInt8]) -> UInt32 {
      let crc = CRC32C.checksum(bytes)
      return ((crc >> 15) | (crc << 17)) &+ 0xA282_EAD8
    }
    func le(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
    #expect(Array(record[8..<12]) == le(masked(Array(record[0..<8]))))
    #expect(Array(record[12..<17]) == data)
    #expect(Array(record[17..<21]) == le(masked(data)))
  }

  @Test func protobufEncodingMatchesTheSpecificationExamples() {
    // From the protocol-buffers encoding guide: field 1 = 150 is 08 96 01;
    // field 2 = "testing" is 12 07 74 65 73 74 69 6e 67.
    var w = ProtobufWriter()
    w.int64(1, 150)
    #expect(w.bytes == [0x08, 0x96, 0x01])
    var s = ProtobufWriter()
    s.string(2, "testing")
    #expect(s.bytes == [0x12, 0x07, 0x74, 0x65, 0x73, 0x74, 0x69, 0x6E, 0x67])
    var f = ProtobufWriter()
    f.float(2, 1.0)
    #expect(f.bytes == [0x15, 0x00, 0x00, 0x80, 0x3F])
    var d = ProtobufWriter()
    d.packedDoubles(6, [1.0])
    #expect(d.bytes == [0x32, 0x08, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F])
  }

  @Test func histogramBucketsCountEveryFiniteValueOnce() throws {
    let values: [Float] = [-1, -0.5, 0, 0, 0.25, 1, .nan, .infinity]
    let h = try #require(values.withUnsafeBufferPointer { Histogram($0) })
    #expect(h.count == 6 && h.min == -1 && h.max == 1)
    #expect(h.counts.reduce(0, +) == 6 && h.limits.count == Histogram.bucketCount && h.limits.last == 1)
    #expect(isApproximatelyEqual(h.sum, -0.25, absolute: 1e-12) && isApproximatelyEqual(h.sumOfSquares, 2.3125, absolute: 1e-12))
    // Each value lies in its bucket: (limit[i-1], limit[i]].
    #expect(h.counts.first == 1 && h.counts.last == 1)
    let constant: [Float] = [2, 2, 2]
    let c = try #require(constant.withUnsafeBufferPointer { Histogram($0) })
    #expect(c.limits == [2] && c.counts == [3])
    #expect([Float.nan].withUnsafeBufferPointer { Histogram($0) } == nil)
  }

  @Test func refusesAPathThatIsAFile() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let file = dir.write("taken", "x")
    #expect(throws: TensorBoardError.self) { try TensorBoardWriter(directory: file) }
    let writer = try TensorBoardWriter(directory: dir.file("new/tb"))
    writer.scalars([("a", 1)], step: 3)
    writer.close()
    let bytes = [UInt8](FileManager.default.contents(atPath: writer.path)!)
    // Two records (the version event and the scalar), each framed whole.
    var offset = 0, records = 0
    while offset < bytes.count {
      let length = (0..<8).reduce(0) { $0 | Int(bytes[offset + $1]) << (8 * $1) }
      offset += 12 + length + 4
      records += 1
    }
    #expect(offset == bytes.count && records == 2)
  }
}
