import Interop
import RunEvents
import Training

// Run log (JSON lines, as `--log` writes and `replay`/`plot` read). Thrown
// `RecordingError`s are expected; only traps, crashes and hangs count. A log
// that parses is also played to its end and drawn as the SVG report, as
// `nntop replay` and `nntop plot` would: lines that parse but disagree
// (layer counts, steps) must not trap there either.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRunLog(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = [UInt8](UnsafeBufferPointer(start: data, count: size))
  guard let recording = try? RunRecording(bytes: bytes, file: "fuzz.jsonl") else { return 0 }
  var player = ReplayPlayer(recording: recording)
  _ = player.seek(to: .infinity)
  _ = recording.view
  _ = SVGPlot(recording: recording, gradients: true, logScaleLoss: true).render()
  return 0
}
