import Training

// Run log (JSON lines, as `--log` writes and `replay`/`plot` read). Thrown
// `RecordingError`s are expected; only traps, crashes and hangs count.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRunLog(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = [UInt8](UnsafeBufferPointer(start: data, count: size))
  _ = try? RunRecording(bytes: bytes, file: "fuzz.jsonl")
  return 0
}
