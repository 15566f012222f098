import Foundation
import Testing
import TestSupport
import RunEvents
@testable import Training

/// A reader of the run log skips a line it cannot parse, says which, and
/// shows the rest (a log refused whole for one bad line loses the run).
struct DamagedLogTests {
  static let header = #"{"type":"run","data":"xor","layers":[[1,2]],"activations":["sigmoid"],"batch":4,"lr":0.5}"#

  func lines(_ middle: String) -> [UInt8] {
    let text = [
      Self.header,
      #"{"type":"epoch","epoch":1,"step":10,"time":0.1,"loss":0.5,"layers":[]}"#,
      middle,
      #"{"type":"epoch","epoch":2,"step":20,"time":0.2,"loss":0.4,"layers":[]}"#,
      #"{"type":"summary","ending":"completed"}"#,
    ].joined(separator: "\n") + "\n"
    return Array(text.utf8)
  }

  @Test(arguments: [
    #"{"type":"epoch","epoch":1,"st"#,  // torn in the middle of the file
    "\u{0}\u{0}\u{0}garbage",
    #"{"type":"mystery"}"#,
    #"{"type":"sample","step":15}"#,  // a sample without its loss
  ])
  func aDamagedLineIsSkippedAndNamed(_ middle: String) throws {
    let recording = try RunRecording(bytes: lines(middle), file: "run.jsonl")
    #expect(recording.skippedLines == [3])
    #expect(recording.warnings.count == 1 && recording.warnings[0].hasPrefix("run.jsonl:3"))
    let epochs = recording.events.compactMap { entry -> Int? in if case .epoch(let e) = entry { e.epoch } else { nil } }
    #expect(epochs == [1, 2], "the lines around the damage are kept")
    #expect(recording.complete)
  }

  @Test func aLogWithoutItsHeaderIsStillRefused() {
    #expect(throws: RecordingError.self) { try RunRecording(bytes: Array("{\"type\":\"epoch\"}\n".utf8), file: "x.jsonl") }
  }
}
