/// One scalar point of a TensorBoard event: a tag's value at a step.
///
/// The fields read (from TensorBoard's `event.proto`, `summary.proto` and
/// `tensor.proto`): `Event` wall_time 1, step 2, summary 5; `Summary` value 1;
/// `Summary.Value` tag 1, simple_value 2 (TF1 and `SummaryWriter`), tensor 8
/// (TF2's scalars), metadata 9; `TensorProto` dtype 1, tensor_content 4,
/// float_val 5, double_val 6, int_val 7, int64_val 10. Histograms, images and
/// the rest are left out.
public struct TensorBoardScalar: Sendable, Equatable {
  public var tag: String
  public var step: Int
  public var wallTime: Double
  public var value: Double

  public init(tag: String, step: Int, wallTime: Double, value: Double) {
    self.tag = tag
    self.step = step
    self.wallTime = wallTime
    self.value = value
  }

  /// The scalars in one `Event` record.
  public static func scalars(inEvent bytes: [UInt8]) throws(TensorBoardError) -> [TensorBoardScalar] {
    var event = ProtobufReader(bytes[...])
    var step = 0, wallTime = 0.0
    var summaries: [ArraySlice<UInt8>] = []
    while let (field, value) = try event.next() {
      switch field {
      case 1: wallTime = value.double ?? wallTime
      case 2: step = Int(truncatingIfNeeded: value.integer ?? 0)
      case 5: if let s = value.slice { summaries.append(s) }
      default: break
      }
    }
    var scalars: [TensorBoardScalar] = []
    for summary in summaries {
      var reader = ProtobufReader(summary)
      while let (field, value) = try reader.next() {
        guard field == 1, let slice = value.slice, let (tag, number) = try Self.value(slice) else { continue }
        scalars.append(TensorBoardScalar(tag: tag, step: step, wallTime: wallTime, value: number))
      }
    }
    return scalars
  }

  /// A `Summary.Value`'s tag and number, if it holds one number.
  static func value(_ bytes: ArraySlice<UInt8>) throws(TensorBoardError) -> (String, Double)? {
    var reader = ProtobufReader(bytes)
    var tag: String?
    var number: Double?
    while let (field, value) = try reader.next() {
      switch field {
      case 1: tag = value.string
      case 2: number = value.float.map(Double.init)
      case 8: if let slice = value.slice { number = try Self.tensorScalar(slice) ?? number }
      default: break
      }
    }
    guard let tag, let number else { return nil }
    return (tag, number)
  }

  /// The one number of a scalar `TensorProto` (float, double or integer).
  static func tensorScalar(_ bytes: ArraySlice<UInt8>) throws(TensorBoardError) -> Double? {
    var reader = ProtobufReader(bytes)
    var dtype: UInt64 = 0
    var content: ArraySlice<UInt8>?
    var values: [Double] = []
    while let (field, value) = try reader.next() {
      switch (field, value) {
      case (1, .varint(let v)): dtype = v
      case (4, .bytes(let b)): content = b
      // Packed (length-delimited) or one at a time.
      case (5, .bytes(let b)): values += stride(from: b.startIndex, to: b.endIndex - 3, by: 4).map { Double(Float(bitPattern: UInt32(littleEndian(b[$0..<$0 + 4])))) }
      case (5, .fixed32(let bits)): values.append(Double(Float(bitPattern: bits)))
      case (6, .bytes(let b)): values += stride(from: b.startIndex, to: b.endIndex - 7, by: 8).map { Double(bitPattern: littleEndian(b[$0..<$0 + 8])) }
      case (6, .fixed64(let bits)): values.append(Double(bitPattern: bits))
      case (7, .bytes(let b)), (10, .bytes(let b)):
        var packed = ProtobufReader(b)
        values += try packed.packedVarints().map { Double(Int64(bitPattern: $0)) }
      case (7, .varint(let v)), (10, .varint(let v)): values.append(Double(Int64(bitPattern: v)))
      default: break
      }
    }
    if values.count == 1 { return values[0] }
    guard let content else { return nil }
    // DT_FLOAT 1, DT_DOUBLE 2, DT_INT32 3, DT_INT64 9: little-endian in tensor_content.
    switch (dtype, content.count) {
    case (1, 4): return Double(Float(bitPattern: UInt32(littleEndian(content))))
    case (2, 8): return Double(bitPattern: littleEndian(content))
    case (3, 4): return Double(Int32(bitPattern: UInt32(littleEndian(content))))
    case (9, 8): return Double(Int64(bitPattern: littleEndian(content)))
    default: return nil
    }
  }
}
