/// Just enough of the protocol-buffer wire format to write TensorBoard's
/// `Event` messages: varints, fixed 32/64-bit numbers, strings, nested
/// messages and packed doubles.
public struct ProtobufWriter: Sendable {
  public private(set) var bytes: [UInt8] = []

  public init() {}

  enum WireType: UInt64 {
    case varint = 0
    case fixed64 = 1
    case lengthDelimited = 2
    case fixed32 = 5
  }

  mutating func varint(_ value: UInt64) {
    var v = value
    while v >= 0x80 {
      bytes.append(UInt8(v & 0x7F) | 0x80)
      v >>= 7
    }
    bytes.append(UInt8(v))
  }

  mutating func key(_ field: Int, _ type: WireType) {
    varint(UInt64(field) << 3 | type.rawValue)
  }

  mutating func littleEndian<T: FixedWidthInteger>(_ v: T) {
    withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
  }

  public mutating func int64(_ field: Int, _ value: Int64) {
    key(field, .varint)
    varint(UInt64(bitPattern: value))
  }

  public mutating func double(_ field: Int, _ value: Double) {
    key(field, .fixed64)
    littleEndian(value.bitPattern)
  }

  public mutating func float(_ field: Int, _ value: Float) {
    key(field, .fixed32)
    littleEndian(value.bitPattern)
  }

  public mutating func bytes(_ field: Int, _ value: [UInt8]) {
    key(field, .lengthDelimited)
    varint(UInt64(value.count))
    bytes.append(contentsOf: value)
  }

  public mutating func string(_ field: Int, _ value: String) {
    bytes(field, Array(value.utf8))
  }

  public mutating func message(_ field: Int, _ build: (inout ProtobufWriter) -> Void) {
    var inner = ProtobufWriter()
    build(&inner)
    bytes(field, inner.bytes)
  }

  public mutating func packedDoubles(_ field: Int, _ values: [Double]) {
    key(field, .lengthDelimited)
    varint(UInt64(values.count * 8))
    for v in values { littleEndian(v.bitPattern) }
  }
}
