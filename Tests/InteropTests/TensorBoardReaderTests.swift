import Foundation
import Testing
import TestSupport
@testable import Interop

/// Reading event files another program writes: TFRecord framing with its
/// checksums, a torn last record, TF1 and TF2 scalars. The bytes are built
/// here from the format's definition (the CRC-32C check value is tested
/// against the standard's in `TensorBoardTests`).
struct TensorBoardReaderTests {
  func le<T: FixedWidthInteger>(_ v: T) -> [UInt8] { (0..<T.bitWidth / 8).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }

  /// One TFRecord: length, its masked CRC, the data, its masked CRC.
  func record(_ data: [UInt8]) -> [UInt8] {
    let length = le(UInt64(data.count))
    return length + le(CRC32C.masked(length)) + data + le(CRC32C.masked(data))
  }

  /// An `Event` {wall_time 1, step 2, summary 5 {value 1 {tag 1, simple_value 2}}}, by hand.
  func simpleEvent(step: UInt8, tag: String, value: Float) -> [UInt8] {
    let tagBytes = Array(tag.utf8)
    let valueMessage = [0x0A, UInt8(tagBytes.count)] + tagBytes + [0x15] + le(value.bitPattern)
    let summary = [0x0A, UInt8(valueMessage.count)] + valueMessage
    return [0x09] + le(Double(1.5).bitPattern) + [0x10, step] + [0x2A, UInt8(summary.count)] + summary
  }

  @Test func simpleValuesAreReadWithTheirStepAndTime() throws {
    let scalars = try TensorBoardScalar.scalars(inEvent: simpleEvent(step: 7, tag: "Loss/train", value: 0.25))
    #expect(scalars == [TensorBoardScalar(tag: "Loss/train", step: 7, wallTime: 1.5, value: 0.25)])
  }

  @Test func tf2TensorScalarsAreRead() throws {
    // Summary.Value {tag 1, tensor 8 {dtype 1 = DT_FLOAT, tensor_shape 2 {}, tensor_content 4}}, metadata 9 {plugin_data 1 {plugin_name 1 "scalars"}}.
    func value(_ tensor: [UInt8]) -> [UInt8] {
      let plugin: [UInt8] = [0x0A, 9, 0x0A, 7] + Array("scalars".utf8)
      let inner = [0x0A, 2] + Array("lr".utf8) + [0x42, UInt8(tensor.count)] + tensor + [0x4A, UInt8(plugin.count)] + plugin
      let summary = [0x0A, UInt8(inner.count)] + inner
      return [0x10, 3, 0x2A, UInt8(summary.count)] + summary
    }
    let content: [UInt8] = [0x08, 1, 0x12, 0, 0x22, 4] + le(Float(0.125).bitPattern)
    #expect(try TensorBoardScalar.scalars(inEvent: value(content)).map(\.value) == [0.125])
    // The same number as a packed float_val (5), and as a double_val (6) of a DT_DOUBLE.
    let packed: [UInt8] = [0x08, 1, 0x2A, 4] + le(Float(0.5).bitPattern)
    #expect(try TensorBoardScalar.scalars(inEvent: value(packed)).map(\.value) == [0.5])
    let double: [UInt8] = [0x08, 2, 0x32, 8] + le(Double(0.75).bitPattern)
    #expect(try TensorBoardScalar.scalars(inEvent: value(double)).map(\.value) == [0.75])
    // A tensor of two numbers is no scalar.
    let pair: [UInt8] = [0x08, 1, 0x2A, 8] + le(Float(1).bitPattern) + le(Float(2).bitPattern)
    #expect(try TensorBoardScalar.scalars(inEvent: value(pair)).isEmpty)
  }

  @Test func aMessageCutShortThrows() {
    let event = simpleEvent(step: 1, tag: "loss", value: 1)
    #expect(throws: TensorBoardError.self) { try TensorBoardScalar.scalars(inEvent: Array(event.dropLast(3))) }
  }

  @Test func aRecordLargerThanOneReadIsReadWhole() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let path = dir.file("events.out.tfevents.1.host")
    // A 300-byte tag: the record is larger than the 64 bytes read at a time here (8 MiB in use).
    let big = record(simpleEvent(step: 1, tag: String(repeating: "t", count: 100), value: 1))
    FileManager.default.createFile(atPath: path, contents: Data(big + record(simpleEvent(step: 2, tag: "loss", value: 0.5))))
    var follower = TFRecordFollower(path: path)
    let first = follower.poll(limit: 64)
    #expect(try first.map { try TensorBoardScalar.scalars(inEvent: $0)[0].step } == [1])
    let second = follower.poll(limit: 64)
    #expect(try second.map { try TensorBoardScalar.scalars(inEvent: $0)[0].step } == [2] && follower.warnings.isEmpty)
  }

  @Test func aTornRecordWaitsAndADamagedOneIsSkippedOrStopsTheFile() throws {
    let dir = TemporaryDirectory()
    defer { dir.remove() }
    let path = dir.file("events.out.tfevents.1.host")
    let first = record(simpleEvent(step: 1, tag: "loss", value: 1)), second = record(simpleEvent(step: 2, tag: "loss", value: 0.5))
    FileManager.default.createFile(atPath: path, contents: Data(first + second.prefix(10)))
    var follower = TFRecordFollower(path: path)
    #expect(follower.poll().count == 1, "the torn second record waits")
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    try handle.seekToEnd()
    // The rest of the second record, then a third whose data fails its checksum, then a fourth.
    var damaged = record(simpleEvent(step: 3, tag: "loss", value: 0.25))
    damaged[20] ^= 0xFF
    try handle.write(contentsOf: Data(Array(second.dropFirst(10)) + damaged + record(simpleEvent(step: 4, tag: "loss", value: 0.125))))
    let rest = follower.poll()
    #expect(try rest.map { try TensorBoardScalar.scalars(inEvent: $0)[0].step } == [2, 4])
    #expect(follower.warnings.count == 1 && follower.warnings[0].contains("fails its checksum"))
    // A length that fails its checksum: nothing to find the next record by.
    var badLength = record(simpleEvent(step: 5, tag: "loss", value: 0.1))
    badLength[0] ^= 0x01
    try handle.write(contentsOf: Data(badLength + record(simpleEvent(step: 6, tag: "loss", value: 0.1))))
    try handle.close()
    #expect(follower.poll().isEmpty)
    #expect(follower.stopped?.contains("framing is damaged") == true)
  }
}
