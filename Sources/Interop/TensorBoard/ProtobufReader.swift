/// Just enough of the protocol-buffer wire format to read TensorBoard's
/// `Event` messages: a message's fields in order, each a varint, a fixed
/// 32/64-bit number or a length-delimited slice (a string, bytes, a nested
/// message, packed numbers). A field it does not need is skipped by its
/// wire type, as protobuf readers do.
public struct ProtobufReader {
  public enum Value {
    case varint(UInt64)
    case fixed64(UInt64)
    case bytes(ArraySlice<UInt8>)
    case fixed32(UInt32)

    public var double: Double? {
      if case .fixed64(let bits) = self { return Double(bitPattern: bits) }
      return nil
    }
    public var float: Float? {
      if case .fixed32(let bits) = self { return Float(bitPattern: bits) }
      return nil
    }
    public var integer: Int64? {
      if case .varint(let v) = self { return Int64(bitPattern: v) }
      return nil
    }
    public var slice: ArraySlice<UInt8>? {
      if case .bytes(let b) = self { return b }
      return nil
    }
    public var string: String? { slice.map { String(decoding: $0, as: UTF8.self) } }
  }

  private let bytes: ArraySlice<UInt8>
  private var index: Int

  public init(_ bytes: ArraySlice<UInt8>) {
    self.bytes = bytes
    index = bytes.startIndex
  }

  /// The next field, nil at the end; a message cut short or of an unknown
  /// wire type throws.
  public mutating func next() throws(TensorBoardError) -> (field: Int, value: Value)? {
    guard index < bytes.endIndex else { return nil }
    let key = try varint()
    let field = Int(truncatingIfNeeded: key >> 3)
    switch key & 7 {
    case 0: return (field, .varint(try varint()))
    case 1: return (field, .fixed64(try fixed(8)))
    case 2:
      let count = try varint()
      guard count <= UInt64(bytes.endIndex - index) else { throw TensorBoardError("a field runs past the end of its message") }
      defer { index += Int(count) }
      return (field, .bytes(bytes[index..<index + Int(count)]))
    case 5: return (field, .fixed32(UInt32(try fixed(4))))
    default: throw TensorBoardError("unknown protobuf wire type \(key & 7)")
    }
  }

  /// The rest as a packed run of varints (a repeated integer field's bytes).
  public mutating func packedVarints() throws(TensorBoardError) -> [UInt64] {
    var values: [UInt64] = []
    while index < bytes.endIndex { values.append(try varint()) }
    return values
  }

  private mutating func varint() throws(TensorBoardError) -> UInt64 {
    var value: UInt64 = 0
    var shift: UInt64 = 0
    while index < bytes.endIndex, shift < 64 {
      let byte = bytes[index]
      index += 1
      value |= UInt64(byte & 0x7F) << shift
      if byte < 0x80 { return value }
      shift += 7
    }
    throw TensorBoardError("a varint runs past the end of its message")
  }

  private mutating func fixed(_ count: Int) throws(TensorBoardError) -> UInt64 {
    guard bytes.endIndex - index >= count else { throw TensorBoardError("a number runs past the end of its message") }
    defer { index += count }
    return littleEndian(bytes[index..<index + count])
  }
}

/// Up to eight bytes as a little-endian number (protobuf's fixed fields, TFRecord's lengths and CRCs).
func littleEndian(_ bytes: ArraySlice<UInt8>) -> UInt64 {
  bytes.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
}
