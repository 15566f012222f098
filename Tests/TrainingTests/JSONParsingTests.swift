import Interop
import Testing

import RunEvents
@testable import Training

/// The JSON reader on inputs the fuzzers found (Fuzz/Regressions/).
struct JSONParsingTests {
  @Test func aHighSurrogateBeforeAnEscapeThatIsNoLowOneIsReplaced() throws {
    let json = try JSON(parsing: Array(#"{"a":"\uD800\u0041"}"#.utf8))
    #expect(json["a"]?.stringValue == "\u{FFFD}A")
  }

  @Test func aSurrogatePairIsOneScalar() throws {
    let json = try JSON(parsing: Array(#"{"a":"\uD83D\uDE00"}"#.utf8))
    #expect(json["a"]?.stringValue == "😀")
  }

  @Test func theRunLogAndCheckpointReadersSurviveIt() throws {
    _ = try? RunRecording(bytes: Array("{\"type\":\"run\",\"a\":\"\\uD800\\u0041\"}\n".utf8), file: "x")
    let header = Array(#"{"__metadata__":{"format":"\uD800\u0041"}}"#.utf8)
    var bytes = withUnsafeBytes(of: UInt64(header.count).littleEndian) { Array($0) }
    bytes += header
    #expect(throws: CheckpointError.self) { try Checkpoint(Safetensors(bytes: bytes, file: "x"), file: "x") }
  }
}
